#include "scorescope/score_training.hpp"

#include <cmath>
#include <stdexcept>

#include "scorescope/time_grid.hpp"

namespace scorescope {
namespace {

using Matrix = Mlp<float>::Matrix;

// Root mean square of the data's coordinates about zero: the sd of the network's input scaling.
double dataScaleOf(const Target& target, std::uint64_t seed) {
  const Points x = target.sample(4096, CounterRng(seed).derive(0xda7a), nullptr);
  return std::max(1e-3, std::sqrt(x.squaredNorm() / double(2 * x.rows())));
}

// Per-sample t: uniform in [tMin, 1] (for VE, where log s is linear in t, that is log s uniform),
// or for Ncsn one of L levels whose noise s/a is geometric between the ends.
Eigen::VectorXd trainingTimes(const Process& process, const TrainingSettings& settings, const CounterRng& rng,
                              Eigen::Index n) {
  const double tMin = trainingTMin(process);
  const Eigen::VectorXd u = rng.uniforms(n, 0);
  Eigen::VectorXd t(n);
  if (settings.loss != TrainingLoss::Ncsn) {
    t = tMin + (1.0 - tMin) * u.array();
    return t;
  }
  const int levels = settings.ncsnLevels;
  const double sigmaMax = process.s(1.0) / process.a(1.0), sigmaMin = kMinNoiseLevel;
  std::vector<double> levelTimes(static_cast<std::size_t>(levels));
  for (int l = 0; l < levels; ++l) {
    const double sigma = sigmaMax * std::pow(sigmaMin / sigmaMax, double(l) / (levels - 1));
    levelTimes[std::size_t(l)] = timeForNoiseLevel(process, sigma);
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    t(i) = levelTimes[std::min(std::size_t(u(i) * levels), std::size_t(levels - 1))];
  }
  return t;
}

}  // namespace

double trainingTMin(const Process& process) { return defaultTMin(process); }

ScoreTrainer::ScoreTrainer(std::shared_ptr<const Target> target, Process process, TrainingSettings settings,
                           std::string targetName)
    : target_(std::move(target)), process_(std::move(process)), settings_(std::move(settings)) {
  if (!target_) throw std::invalid_argument("ScoreTrainer: no target");
  if (std::string invalid = validateTrainingSettings(settings_); !invalid.empty()) {
    throw std::invalid_argument(invalid);
  }
  const NetworkSpec& spec = settings_.network;
  const int classes = target_->labelCount();
  if (spec.role == NetworkRole::Classifier && classes < 2) {
    throw std::invalid_argument("network.classes: a noisy classifier needs a labelled target; " +
                                std::string("this one has no class labels"));
  }
  if (spec.classes != 0 && spec.classes != classes) {
    throw std::invalid_argument("network.classes: the target has " + std::to_string(classes) +
                                " classes; got " + std::to_string(spec.classes));
  }
  network_.spec = spec;
  network_.process = process_.kind();
  network_.training = settings_;
  network_.targetName = std::move(targetName);
  network_.dataScale = dataScaleOf(*target_, settings_.seed);
  network_.mlp = Mlp<float>(networkLayerSizes(spec));
  network_.mlp.initialize(settings_.seed);
  adam_ = Adam<float>(network_.mlp.parameterCount(), settings_.adam);
  losses_.reserve(std::size_t(std::min<long long>(settings_.steps, 1'000'000)));
}

double ScoreTrainer::step() {
  const NetworkSpec& spec = settings_.network;
  const Eigen::Index n = settings_.batch;
  const CounterRng rng = CounterRng(settings_.seed).derive(std::uint64_t(network_.trainedSteps) + 1);
  const bool classifier = spec.role == NetworkRole::Classifier;
  const bool needLabels = classifier || spec.classes > 0;

  Labels labels;
  const Points x0 = target_->sample(n, rng.derive(1), needLabels ? &labels : nullptr);
  const Points eps = rng.derive(2).normals(n, 0);
  const Eigen::VectorXd t = trainingTimes(process_, settings_, rng.derive(3), n);
  Eigen::VectorXd a(n), s(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    a(i) = process_.a(t(i));
    s(i) = process_.s(t(i));
  }
  Points xt = x0;
  xt.col(0) = a.cwiseProduct(x0.col(0)) + s.cwiseProduct(eps.col(0));
  xt.col(1) = a.cwiseProduct(x0.col(1)) + s.cwiseProduct(eps.col(1));

  Labels inputLabels;
  if (!classifier && spec.classes > 0) {  // classifier-free training: drop labels to the null token
    const Eigen::VectorXd u = rng.derive(4).uniforms(n, 0);
    inputLabels = labels;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (u(i) < settings_.pEmpty) inputLabels(i) = -1;
    }
  }
  const Matrix input = networkInput(network_, process_, xt, t, inputLabels.size() ? &inputLabels : nullptr);
  const Matrix& output = network_.mlp.forward(input, cache_);
  Matrix outputGradient(output.rows(), n);
  double loss = 0.0;

  if (classifier) {  // cross-entropy of softmax(logits) against the true class
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto logits = output.col(i).cast<double>();
      const double top = logits.maxCoeff();
      const Eigen::VectorXd e = (logits.array() - top).exp();
      const double sum = e.sum();
      loss += std::log(sum) + top - logits(labels(i));
      Eigen::VectorXd g = e / sum;
      g(labels(i)) -= 1.0;
      outputGradient.col(i) = (g / double(n)).cast<float>();
    }
  } else {  // weighted regression onto the loss's target: mean over samples of w |out - y|^2
    for (Eigen::Index i = 0; i < n; ++i) {
      Eigen::Vector2d target = Eigen::Vector2d::Zero();
      double weight = 1.0;
      switch (settings_.loss) {
        case TrainingLoss::Noise:
        case TrainingLoss::Ncsn: target = eps.row(i).transpose(); break;
        case TrainingLoss::Denoiser: target = x0.row(i).transpose(); break;
        case TrainingLoss::Score:
          target = -eps.row(i).transpose() / s(i);
          weight = s(i) * s(i);
          break;
        case TrainingLoss::Velocity: target = (a(i) * eps.row(i) - s(i) * x0.row(i)).transpose(); break;
      }
      const Eigen::Vector2d residual = output.col(i).cast<double>() - target;
      loss += weight * residual.squaredNorm();
      outputGradient.col(i) = (2.0 * weight / double(n) * residual).cast<float>();
    }
  }
  loss /= double(n);

  network_.mlp.backward(cache_, outputGradient, gradient_);
  adam_.step(network_.mlp.parameters(), gradient_,
             scheduledLearningRate(settings_.adam, network_.trainedSteps, settings_.steps));
  ++network_.trainedSteps;
  losses_.push_back(static_cast<float>(loss));
  return loss;
}

std::shared_ptr<const TrainedNetwork> ScoreTrainer::snapshot() const {
  return std::make_shared<const TrainedNetwork>(network_);
}

double ScoreTrainer::flopsPerStep() const {
  // Forward 2 flops per multiply-add, backward twice the forward, Adam about 12 per parameter.
  return 6.0 * network_.mlp.multiplyAddsPerSample() * double(settings_.batch) +
         12.0 * double(network_.mlp.parameterCount());
}

}  // namespace scorescope
