#pragma once
// A trained network and everything needed to use it: what a model file holds (model_file.hpp).
//
// Two roles share one MLP (mlp.hpp):
//   score network   output in the parametrization of its loss (eps, x0, score or v), turned into
//                   the score by parametrization.hpp, so every sampler and guidance mode takes it
//                   as a ScoreModel (learned_score.hpp);
//   noisy classifier  K logits of p(y | x_t, t) (noisy_classifier.hpp).
//
// Network input, per sample (docs/math.md, "Learned models"):
//   [ x / sqrt(a^2 sd^2 + s^2),  sinusoidal features of c = log(s/a) / 4,  one-hot class ]
// The first part has unit variance when the data has standard deviation sd (recorded at
// training), so one network serves every noise level of VE as well as VP. Conditioning on the
// noise level s/a rather than on t makes the time input mean the same thing for every process.
// The one-hot class has K + 1 entries: class 0..K-1 and the null token K (classifier-free
// guidance's "no class"); it is absent for unconditional networks and classifiers.
#include <cstdint>
#include <string>
#include <array>
#include <string_view>

#include "scorescope/adam.hpp"
#include "scorescope/mlp.hpp"
#include "scorescope/parametrization.hpp"
#include "scorescope/points.hpp"
#include "scorescope/process.hpp"

namespace scorescope {

enum class NetworkRole { Score, Classifier };

// The denoising score matching loss a score network is trained with (docs/math.md):
//   Noise     |eps_theta - eps|^2                 (Ho et al. 2020; = score loss with lambda = s^2)
//   Denoiser  |D_theta - x0|^2                    (x0 prediction)
//   Score     s^2 |s_theta + eps / s|^2            (Song & Ermon, continuous t)
//   Velocity  |v_theta - (a eps - s x0)|^2         (Salimans & Ho 2022)
//   Ncsn      s^2 |s_theta + eps / s|^2 on L geometric noise levels (Song & Ermon 2019), with
//             s_theta = output / s (their scaling), for annealed Langevin
enum class TrainingLoss { Noise, Denoiser, Score, Velocity, Ncsn };
inline constexpr std::array kAllTrainingLosses = {TrainingLoss::Noise, TrainingLoss::Denoiser,
                                                  TrainingLoss::Score, TrainingLoss::Velocity,
                                                  TrainingLoss::Ncsn};
// CLI and file names: eps, x0, score, v, ncsn.
std::string_view lossName(TrainingLoss loss);
const char* lossTitle(TrainingLoss loss);  // "eps prediction (DDPM)", ...
bool parseLoss(std::string_view name, TrainingLoss& out);
std::string lossNames();
// What the network outputs under each loss (Ncsn: the noise, -s score, as in its scaling).
Parametrization lossOutput(TrainingLoss loss);

struct NetworkSpec {
  NetworkRole role = NetworkRole::Score;
  int width = 128;        // hidden units per layer
  int depth = 3;          // hidden layers
  int timeFeatures = 16;  // sinusoidal features of the noise level (even)
  int classes = 0;        // score: > 0 adds the one-hot class input (CFG); classifier: outputs

  bool operator==(const NetworkSpec&) const = default;
};
inline constexpr int kMaxNetworkWidth = 1024, kMaxNetworkDepth = 8, kMaxTimeFeatures = 64;
// The first invalid field as "network.field: expected ..., got ...", or empty.
std::string validateNetworkSpec(const NetworkSpec& spec);
// Layer sizes of the MLP: {inputs, width x depth, outputs}.
std::vector<int> networkLayerSizes(const NetworkSpec& spec);

// How a network was trained: recorded in model files, shown in the app, and what `train` takes.
struct TrainingSettings {
  TrainingLoss loss = TrainingLoss::Noise;
  NetworkSpec network;
  long long steps = 3000;
  int batch = 1024;
  AdamSettings adam;
  double pEmpty = 0.1;   // classifier-free training: probability of the null label
  int ncsnLevels = 10;   // Ncsn: L
  std::uint64_t seed = 0;

  bool operator==(const TrainingSettings&) const = default;
};
inline constexpr long long kMaxTrainingSteps = 10'000'000;
inline constexpr int kMaxBatch = 65536, kMaxNcsnLevels = 1000;
std::string validateTrainingSettings(const TrainingSettings& settings);

struct TrainedNetwork {
  NetworkSpec spec;
  ProcessKind process = ProcessKind::Vp;
  TrainingSettings training;
  std::string targetName;      // what it was trained on ("two-moons", a file name, "drawn points")
  double dataScale = 1.0;      // sd in the input scaling above
  long long trainedSteps = 0;  // Adam steps taken
  Mlp<float> mlp;
};

// The network input (rows: 2 + timeFeatures [+ classes + 1]) for points x at per-sample times t
// and labels (label < 0 or == classes: the null token; ignored without a class input).
Mlp<float>::Matrix networkInput(const TrainedNetwork& network, const Process& process, const Points& x,
                                const Eigen::VectorXd& t, const Labels* labels);
// Sinusoidal features [sin(w_k c), cos(w_k c)], w_k = pi 2^(k/2 - 1), k = 0..features/2 - 1, of
// c = log(s/a) / 4 (written into rows [row, row + features) of `out`, one column per sample).
// c spans about [-1.2, 1.3]; the highest frequency (k = 7: 17.8) still varies smoothly over it.
// (Frequencies up to 100 made the features look like noise and training 3x slower.)
void writeNoiseLevelFeatures(const Process& process, const Eigen::VectorXd& t, int features, int row,
                             Mlp<float>::Matrix& out);

}  // namespace scorescope
