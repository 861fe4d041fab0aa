#pragma once
// Where samples ended, mode by mode (lesson 3). A sampler that gets the shape of every mode right
// can still get their weights wrong: plain Langevin at a small noise level leaves each particle
// in the mode it fell into first, whatever the weights say; annealed Langevin moves mass between
// modes while the noise is large. Counting which mode each sample belongs to, against the
// mixture's own weights, shows the difference as one bar chart.
#include <vector>

#include "scorescope/gaussian_mixture.hpp"

namespace scorescope {

// The fraction of the rows of x assigned to each component of the mixture, each row to the
// component with the largest responsibility under p_0 (w_k N(x; mu_k, S_k), no noise). One value
// per component, summing to 1; all zero for an empty x.
std::vector<double> modeFractions(const GaussianMixture& mixture, const Points& x);

// The mixture's weights, normalised to sum 1, in component order.
std::vector<double> modeWeights(const GaussianMixture& mixture);

// `components` with component k's weight set to w in (0, 1) and the others scaled so that all
// sum to 1 (spread evenly when the others were all zero): what a weight slider edits.
std::vector<MixtureComponent> withModeWeight(std::vector<MixtureComponent> components, std::size_t k, double w);

}  // namespace scorescope
