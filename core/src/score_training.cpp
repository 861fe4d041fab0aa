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
  const std::vector<double> levelTimes = ncsnLevelTimes(process, levels);
  for (Eigen::Index i = 0; i < n; ++i) {
    t(i) = levelTimes[std::min(std::size_t(u(i) * levels), std::size_t(levels - 1))];
  }
  return t;
}

}  // namespace

double trainingTMin(const Process& process) { return defaultTMin(process); }

std::vector<double> ncsnLevelTimes(const Process& process, int levels) {
  const double sigmaMax = process.s(1.0) / process.a(1.0), sigmaMin = kMinNoiseLevel;
  std::vector<double> times;
  for (int l = 0; l < levels; ++l) {
    times.push_back(timeForNoiseLevel(process, sigmaMax * std::pow(sigmaMin / sigmaMax, double(l) / (levels - 1))));
  }
  return times;
}

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

TrainingBatch drawTrainingBatch(const Target& target, const Process& process, const TrainingSettings& settings,
                                long long step) {
  const NetworkSpec& spec = settings.network;
  const Eigen::Index n = settings.batch;
  const CounterRng rng = CounterRng(settings.seed).derive(std::uint64_t(step) + 1);
  const bool classifier = spec.role == NetworkRole::Classifier;
  TrainingBatch b;
  b.x0 = target.sample(n, rng.derive(1), classifier || spec.classes > 0 ? &b.labels : nullptr);
  b.eps = rng.derive(2).normals(n, 0);
  b.t = trainingTimes(process, settings, rng.derive(3), n);
  b.a.resize(n);
  b.s.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    b.a(i) = process.a(b.t(i));
    b.s(i) = process.s(b.t(i));
  }
  b.xt.resize(n, 2);
  for (int c = 0; c < 2; ++c) b.xt.col(c) = b.a.cwiseProduct(b.x0.col(c)) + b.s.cwiseProduct(b.eps.col(c));
  if (!classifier && spec.classes > 0) {  // classifier-free training: drop labels to the null token
    const Eigen::VectorXd u = rng.derive(4).uniforms(n, 0);
    b.inputLabels = b.labels;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (u(i) < settings.pEmpty) b.inputLabels(i) = -1;
    }
  }
  return b;
}

double trainingLoss(const TrainingSettings& settings, const TrainingBatch& b, const Eigen::MatrixXd& output,
                    Eigen::MatrixXd* gradient) {
  const Eigen::Index n = output.cols();
  if (gradient) gradient->resize(output.rows(), n);
  double loss = 0.0;
  if (settings.network.role == NetworkRole::Classifier) {  // cross-entropy of softmax(logits)
    for (Eigen::Index i = 0; i < n; ++i) {
      const double top = output.col(i).maxCoeff();
      const Eigen::VectorXd e = (output.col(i).array() - top).exp();
      const double sum = e.sum();
      loss += std::log(sum) + top - output(b.labels(i), i);
      if (gradient) {
        gradient->col(i) = e / (sum * double(n));
        (*gradient)(b.labels(i), i) -= 1.0 / double(n);
      }
    }
    return loss / double(n);
  }
  for (Eigen::Index i = 0; i < n; ++i) {  // mean over samples of w |output - y|^2
    Eigen::Vector2d y = Eigen::Vector2d::Zero();
    double weight = 1.0;
    switch (settings.loss) {
      case TrainingLoss::Noise:
      case TrainingLoss::Ncsn: y = b.eps.row(i).transpose(); break;
      case TrainingLoss::Denoiser: y = b.x0.row(i).transpose(); break;
      case TrainingLoss::Score:
        y = -b.eps.row(i).transpose() / b.s(i);
        weight = b.s(i) * b.s(i);
        break;
      case TrainingLoss::Velocity: y = (b.a(i) * b.eps.row(i) - b.s(i) * b.x0.row(i)).transpose(); break;
    }
    const Eigen::Vector2d residual = output.col(i) - y;
    loss += weight * residual.squaredNorm();
    if (gradient) gradient->col(i) = 2.0 * weight / double(n) * residual;
  }
  return loss / double(n);
}

double ScoreTrainer::step() {
  const TrainingBatch batch = drawTrainingBatch(*target_, process_, settings_, network_.trainedSteps);
  const Matrix input = networkInput(network_, process_, batch.xt, batch.t,
                                    batch.inputLabels.size() ? &batch.inputLabels : nullptr);
  const Eigen::MatrixXd output = network_.mlp.forward(input, cache_).cast<double>();
  Eigen::MatrixXd outputGradient;
  const double loss = trainingLoss(settings_, batch, output, &outputGradient);
  network_.mlp.backward(cache_, outputGradient.cast<float>(), gradient_);
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
