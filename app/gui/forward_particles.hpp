#pragma once
// Forward-noised particles for scrubbing t (lessons 1 and 2). Process::sampleForward(x0, t, rng)
// is x_t = a(t) x0 + s(t) eps with eps = rng.normals(n, 0), drawn anew on every call; scrubbing
// calls it every frame, so this class draws that same eps once and re-combines it: the result
// equals Process::sampleForward for the same rng (tested), each particle keeps its eps (no
// flicker), and a frame costs one pass over the batch instead of 2n Box-Muller draws.
#include "scorescope/process.hpp"

namespace scorescope::gui {

class ForwardParticles {
 public:
  void setData(Points x0, const CounterRng& rng);
  const Points& data() const { return x0_; }
  // x_t for the process at t (cached while t and the process do not change).
  const Points& at(const Process& process, double t);

 private:
  Points x0_, eps_, xt_;
  double cachedT_ = -1.0;
  double cachedA_ = 0.0, cachedS_ = 0.0;
};

}  // namespace scorescope::gui
