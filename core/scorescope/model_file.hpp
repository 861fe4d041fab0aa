#pragma once
// The model file format (docs/model-format.md): a text header of `key value` lines, the network
// parameters as little-endian float32, and a CRC-32 of everything before it.
//
//   scorescope-model 1
//   role score | classifier
//   loss eps | x0 | score | v | ncsn      (score networks)
//   process vp ...   target two-moons   data-scale 2.07   ... (one key per line)
//   parameters 35458
//   data
//   <parameters x float32 LE><crc32 LE>
#include <stdexcept>
#include <string>
#include <string_view>

#include "scorescope/score_network.hpp"

namespace scorescope {

inline constexpr int kModelFileVersion = 1;

// One-line reasons: "not a Scorescope model file", "model file version 2 is newer than this
// build reads (1)", "truncated: ...", "checksum mismatch: the file is corrupt", "field: ...".
struct ModelFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string serializeNetwork(const TrainedNetwork& network);
// Parses a whole file's bytes; throws ModelFileError (nothing is partially returned).
TrainedNetwork parseNetwork(std::string_view bytes);

}  // namespace scorescope
