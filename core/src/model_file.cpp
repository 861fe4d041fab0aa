#include "scorescope/model_file.hpp"

#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>

namespace scorescope {
static_assert(std::endian::native == std::endian::little, "model files store little-endian float32");
namespace {

constexpr std::string_view kMagic = "scorescope-model ";
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

std::uint32_t crc32(std::string_view bytes) {  // CRC-32 (IEEE 802.3, as zlib and PNG)
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (const char byte : bytes) c = table[(c ^ static_cast<unsigned char>(byte)) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::string number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest round trip
  return std::string(buffer, result.ptr);
}

[[noreturn]] void fail(const std::string& message) { throw ModelFileError(message); }

class Header {
 public:
  explicit Header(std::map<std::string, std::string> fields) : fields_(std::move(fields)) {}

  std::string text(const std::string& key) {
    const auto it = fields_.find(key);
    if (it == fields_.end()) fail("header: missing field '" + key + "'");
    std::string value = it->second;
    fields_.erase(it);
    return value;
  }
  long long integer(const std::string& key, long long min, long long max) {
    const std::string value = text(key);
    long long out = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size() || out < min || out > max) {
      fail(key + ": expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "], got '" +
           value.substr(0, 40) + "'");
    }
    return out;
  }
  double real(const std::string& key) {
    const std::string value = text(key);
    double out = 0.0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
    if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(out)) {
      fail(key + ": expected a finite number, got '" + value.substr(0, 40) + "'");
    }
    return out;
  }
  void expectNoMore() const {
    if (!fields_.empty()) fail("header: unknown field '" + fields_.begin()->first.substr(0, 40) + "'");
  }

 private:
  std::map<std::string, std::string> fields_;
};

}  // namespace

std::string serializeNetwork(const TrainedNetwork& n) {
  for (const char c : n.targetName) {
    if (c == '\n' || c == '\r') throw std::invalid_argument("serializeNetwork: the target name has a line break");
  }
  const TrainingSettings& t = n.training;
  std::ostringstream header;
  header << kMagic << kModelFileVersion << '\n'
         << "role " << (n.spec.role == NetworkRole::Score ? "score" : "classifier") << '\n'
         << "loss " << lossName(t.loss) << '\n'
         << "process " << processName(n.process) << '\n'
         << "target " << n.targetName << '\n'
         << "data-scale " << number(n.dataScale) << '\n'
         << "width " << n.spec.width << '\n'
         << "depth " << n.spec.depth << '\n'
         << "time-features " << n.spec.timeFeatures << '\n'
         << "classes " << n.spec.classes << '\n'
         << "steps " << t.steps << '\n'
         << "batch " << t.batch << '\n'
         << "learning-rate " << number(t.adam.learningRate) << '\n'
         << "schedule " << scheduleName(t.adam.schedule) << '\n'
         << "p-empty " << number(t.pEmpty) << '\n'
         << "ncsn-levels " << t.ncsnLevels << '\n'
         << "seed " << t.seed << '\n'
         << "trained-steps " << n.trainedSteps << '\n'
         << "parameters " << n.mlp.parameterCount() << '\n'
         << "data\n";
  std::string bytes = header.str();
  const auto& p = n.mlp.parameters();
  bytes.append(reinterpret_cast<const char*>(p.data()), std::size_t(p.size()) * sizeof(float));
  const std::uint32_t checksum = crc32(bytes);
  bytes.append(reinterpret_cast<const char*>(&checksum), sizeof checksum);
  return bytes;
}

TrainedNetwork parseNetwork(std::string_view bytes) {
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    fail("not a Scorescope model file (it does not start with 'scorescope-model')");
  }
  const std::size_t headerEnd = bytes.find("\ndata\n");
  if (headerEnd == std::string_view::npos || headerEnd > kMaxHeaderBytes) {
    if (bytes.size() < kMaxHeaderBytes) fail("truncated: the file ends inside its header (no 'data' line)");
    fail("not a Scorescope model file (no 'data' line in the first 64 KiB)");
  }
  const std::size_t dataBegin = headerEnd + 6;
  std::istringstream lines{std::string(bytes.substr(0, headerEnd))};
  std::string line;
  std::getline(lines, line);
  int version = 0;
  const std::string_view versionText = std::string_view(line).substr(kMagic.size());
  const auto [end, ec] = std::from_chars(versionText.data(), versionText.data() + versionText.size(), version);
  if (ec != std::errc() || end != versionText.data() + versionText.size() || version < 1) {
    fail("not a Scorescope model file (bad version '" + std::string(versionText.substr(0, 20)) + "')");
  }
  if (version > kModelFileVersion) {
    fail("model file version " + std::to_string(version) + " is newer than this build reads (" +
         std::to_string(kModelFileVersion) + "); update Scorescope");
  }
  std::map<std::string, std::string> fields;
  while (std::getline(lines, line)) {
    const std::size_t space = line.find(' ');
    const std::string key = line.substr(0, space);
    if (space == std::string::npos || !fields.emplace(key, line.substr(space + 1)).second) {
      fail("header: malformed or repeated line '" + line.substr(0, 40) + "'");
    }
  }
  Header h(std::move(fields));

  TrainedNetwork n;
  const std::string role = h.text("role");
  if (role != "score" && role != "classifier") fail("role: expected score or classifier, got '" + role.substr(0, 40) + "'");
  n.spec.role = role == "score" ? NetworkRole::Score : NetworkRole::Classifier;
  if (!parseLoss(h.text("loss"), n.training.loss)) fail("loss: expected one of " + lossNames());
  if (!parseProcessKind(h.text("process"), n.process)) fail("process: expected one of " + processNames());
  n.targetName = h.text("target");
  n.dataScale = h.real("data-scale");
  if (!(n.dataScale > 0.0)) fail("data-scale: expected a positive number");
  n.spec.width = int(h.integer("width", 1, kMaxNetworkWidth));
  n.spec.depth = int(h.integer("depth", 1, kMaxNetworkDepth));
  n.spec.timeFeatures = int(h.integer("time-features", 0, kMaxTimeFeatures));
  n.spec.classes = int(h.integer("classes", 0, 256));
  n.training.network = n.spec;
  n.training.steps = h.integer("steps", 1, kMaxTrainingSteps);
  n.training.batch = int(h.integer("batch", 1, kMaxBatch));
  n.training.adam.learningRate = h.real("learning-rate");
  if (!parseSchedule(h.text("schedule"), n.training.adam.schedule)) fail("schedule: expected constant or cosine");
  n.training.pEmpty = h.real("p-empty");
  n.training.ncsnLevels = int(h.integer("ncsn-levels", 2, kMaxNcsnLevels));
  n.training.seed = std::uint64_t(h.integer("seed", 0, std::numeric_limits<long long>::max()));
  n.trainedSteps = h.integer("trained-steps", 0, kMaxTrainingSteps);
  const long long count = h.integer("parameters", 0, 1LL << 32);
  h.expectNoMore();
  if (std::string invalid = validateTrainingSettings(n.training); !invalid.empty()) fail(invalid);

  n.mlp = Mlp<float>(networkLayerSizes(n.spec));
  if (count != n.mlp.parameterCount()) {
    fail("parameters: this architecture has " + std::to_string(n.mlp.parameterCount()) + ", the header says " +
         std::to_string(count));
  }
  const std::size_t expected = std::size_t(count) * sizeof(float) + sizeof(std::uint32_t);
  const std::size_t found = bytes.size() - dataBegin;
  if (found < expected) {
    fail("truncated: expected " + std::to_string(expected) + " bytes of parameters and checksum after the header, found " +
         std::to_string(found));
  }
  if (found > expected) fail("corrupt: " + std::to_string(found - expected) + " unexpected bytes after the checksum");
  std::uint32_t stored = 0;
  std::memcpy(&stored, bytes.data() + bytes.size() - sizeof stored, sizeof stored);
  if (stored != crc32(bytes.substr(0, bytes.size() - sizeof stored))) fail("checksum mismatch: the file is corrupt");
  std::memcpy(n.mlp.parameters().data(), bytes.data() + dataBegin, std::size_t(count) * sizeof(float));
  if (!n.mlp.parameters().allFinite()) fail("parameters: not all finite");
  return n;
}

}  // namespace scorescope
