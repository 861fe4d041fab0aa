#include "scorescope/time_grid.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace scorescope {

double timeForNoiseLevel(const Process& process, double sigma) {
  auto level = [&](double t) { return process.s(t) / process.a(t); };
  if (sigma <= level(0.0)) return 0.0;
  if (sigma >= level(1.0)) return 1.0;
  double lo = 0.0;
  double hi = 1.0;
  for (int i = 0; i < 100 && hi - lo > 1e-15; ++i) {
    const double mid = 0.5 * (lo + hi);
    (level(mid) < sigma ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double defaultTMin(const Process& process) { return timeForNoiseLevel(process, kMinNoiseLevel); }

std::vector<double> karrasTimes(const Process& process, int steps, double tEnd) {
  const double sigmaMax = process.s(1.0) / process.a(1.0);
  const double sigmaMin = process.s(tEnd) / process.a(tEnd);
  const std::vector<double> sigmas = karrasSigmas(steps + 1, sigmaMin, sigmaMax);
  std::vector<double> ts(sigmas.size());
  for (std::size_t i = 0; i < sigmas.size(); ++i) ts[i] = timeForNoiseLevel(process, sigmas[i]);
  ts.front() = 1.0;
  ts.back() = tEnd;
  return ts;
}

std::vector<double> makeTimeGrid(const Process& process, int steps, double tEnd,
                                 GridSpacing spacing) {
  if (!(steps >= 1 && tEnd >= 0.0 && tEnd < 1.0)) {
    throw std::invalid_argument("makeTimeGrid(): expected steps >= 1 and 0 <= tEnd < 1, got steps = " +
                                std::to_string(steps) + ", tEnd = " + std::to_string(tEnd));
  }
  std::vector<double> ts(static_cast<std::size_t>(steps) + 1);
  switch (spacing) {
    case GridSpacing::Uniform:
      for (int i = 0; i <= steps; ++i) ts[i] = 1.0 - (1.0 - tEnd) * i / steps;
      break;
    case GridSpacing::Karras: ts = karrasTimes(process, steps, tEnd); break;
  }
  if (process.isDiscrete()) {
    const double total = process.params().ddpmSteps;
    for (double& t : ts) t = std::round(t * total) / total;
    ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  }
  return ts;
}

std::vector<double> geometricLevelTimes(const Process& p, int levels, double tEnd) {
  if (levels == 1) return {tEnd};
  const double first = p.s(1.0) / p.a(1.0);
  const double last = p.s(tEnd) / p.a(tEnd);
  std::vector<double> times(static_cast<std::size_t>(levels));
  for (int l = 0; l < levels; ++l) {
    times[std::size_t(l)] = timeForNoiseLevel(p, first * std::pow(last / first, l / (levels - 1.0)));
  }
  // The ends exactly, not as the root finder left them (which may be 1 + 1e-16).
  times.front() = 1.0;
  times.back() = tEnd;
  return times;
}

}  // namespace scorescope
