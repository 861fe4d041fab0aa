#include "scorescope/ddim_round_trip.hpp"

#include <stdexcept>

#include "scorescope/samplers.hpp"
#include "scorescope/time_grid.hpp"

namespace scorescope {

RoundTrip ddimRoundTrip(const ScoreModel& model, const Points& x0, int steps, const StepCallback& callback) {
  if (steps < 1) throw std::invalid_argument("ddimRoundTrip(): steps: expected an integer >= 1, got " + std::to_string(steps));
  const std::vector<double> down = makeTimeGrid(model.process(), steps, defaultTMin(model.process()));
  const std::vector<double> up(down.rbegin(), down.rend());
  const int encodeSteps = static_cast<int>(up.size()) - 1;  // a discrete grid may hold fewer than `steps`
  bool stopped = false;
  RoundTrip out;
  out.encoded = ddimEncode(model, x0, up, [&](int step, double t, const Points& x) {
    if (callback && !callback(step, t, x)) stopped = true;
    return !stopped;
  });
  if (stopped) {
    out.decoded = out.encoded;
    out.error = meanPointDistance(x0, out.decoded);
    return out;
  }
  // The decoding's step 0 is the encoding's last frame: reported once, as the turning point.
  out.decoded = sampleDdim(model, out.encoded, down, 0.0, CounterRng(0), [&](int step, double t, const Points& x) {
    if (step == 0 || !callback) return true;
    return callback(encodeSteps + step, t, x);
  });
  out.error = meanPointDistance(x0, out.decoded);
  return out;
}

double meanPointDistance(const Points& a, const Points& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) throw std::invalid_argument("meanPointDistance(): shapes differ");
  if (a.rows() == 0) return 0.0;
  return (a - b).rowwise().norm().mean();
}

}  // namespace scorescope
