#include "gui/forward_particles.hpp"

namespace scorescope::gui {

void ForwardParticles::setData(Points x0, const CounterRng& rng) {
  x0_ = std::move(x0);
  eps_ = rng.normals(x0_.rows(), 0);  // the stream Process::sampleForward uses
  cachedT_ = -1.0;
}

const Points& ForwardParticles::at(const Process& process, double t) {
  const double a = process.a(t), s = process.s(t);
  if (t != cachedT_ || a != cachedA_ || s != cachedS_ || xt_.rows() != x0_.rows()) {
    xt_ = process.noised(x0_, eps_, t);  // Process::sampleForward with the eps drawn once
    cachedT_ = t;
    cachedA_ = a;
    cachedS_ = s;
  }
  return xt_;
}

}  // namespace scorescope::gui
