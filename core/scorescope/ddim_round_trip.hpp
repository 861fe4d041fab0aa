#pragma once
// DDIM round trip (lesson 4): data encoded to noise by deterministic DDIM run forward in time
// (ddimEncode) and decoded back by DDIM with eta = 0 on the same grid reversed. Both maps are the
// same discretisation of the probability-flow ODE, so decode(encode(x0)) returns x0 up to the
// discretisation error, which shrinks as the grid gets finer: the lecture point that DDIM with
// eta = 0 is (approximately) invertible, a latent code for every data point.
#include "scorescope/score_model.hpp"
#include "scorescope/trajectory.hpp"

namespace scorescope {

struct RoundTrip {
  Points encoded;  // the latents at t = 1
  Points decoded;  // decode(encode(x0)) at the start time
  double error = 0.0;  // mean over points of |x0 - decoded| (Euclidean)
};

// Encodes x0, taken as data at t0 = defaultTMin(process) (the sampler noise floor, where the
// score of every target is finite), up to t = 1 on makeTimeGrid(process, steps, t0) reversed,
// then decodes back to t0 on the descending grid. `callback` sees one animation of 2 steps + 1
// frames: steps 0..steps the encoding (t rising from t0 to 1), steps + 1..2 steps the decoding
// (t falling back to t0); returning false stops both. Throws std::invalid_argument for steps < 1.
RoundTrip ddimRoundTrip(const ScoreModel& model, const Points& x0, int steps, const StepCallback& callback = {});

// Mean over rows of the Euclidean distance |a_i - b_i| (same shape required).
double meanPointDistance(const Points& a, const Points& b);

}  // namespace scorescope
