#include "scorescope/score_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace scorescope {

std::string_view lossName(TrainingLoss loss) {
  switch (loss) {
    case TrainingLoss::Noise: return "eps";
    case TrainingLoss::Denoiser: return "x0";
    case TrainingLoss::Score: return "score";
    case TrainingLoss::Velocity: return "v";
    case TrainingLoss::Ncsn: return "ncsn";
  }
  throw std::logic_error("lossName(): unknown loss");
}

const char* lossTitle(TrainingLoss loss) {
  switch (loss) {
    case TrainingLoss::Noise: return "eps prediction (DDPM)";
    case TrainingLoss::Denoiser: return "x0 prediction (denoiser)";
    case TrainingLoss::Score: return "score, lambda = s^2";
    case TrainingLoss::Velocity: return "v prediction";
    case TrainingLoss::Ncsn: return "NCSN (noise levels)";
  }
  throw std::logic_error("lossTitle(): unknown loss");
}

bool parseLoss(std::string_view name, TrainingLoss& out) {
  for (const TrainingLoss loss : kAllTrainingLosses) {
    if (name == lossName(loss)) {
      out = loss;
      return true;
    }
  }
  return false;
}

std::string lossNames() {
  std::string names;
  for (const TrainingLoss loss : kAllTrainingLosses) {
    if (!names.empty()) names += ", ";
    names += lossName(loss);
  }
  return names;
}

Parametrization lossOutput(TrainingLoss loss) {
  switch (loss) {
    case TrainingLoss::Noise: return Parametrization::Noise;
    case TrainingLoss::Denoiser: return Parametrization::Denoiser;
    case TrainingLoss::Score: return Parametrization::Score;
    case TrainingLoss::Velocity: return Parametrization::Velocity;
    case TrainingLoss::Ncsn: return Parametrization::Noise;
  }
  throw std::logic_error("lossOutput(): unknown loss");
}

namespace {

std::string outOfRange(const std::string& field, const std::string& expected, const std::string& got) {
  return field + ": expected " + expected + ", got " + got;
}

// A number as messages print it: short (%g: "0", "0.5", "1e+308"), never "0.000000".
std::string shortNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

// "[lo, hi]" as every range in the messages is written.
std::string between(int lo, int hi) { return "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]"; }

}  // namespace

std::string validateNetworkSpec(const NetworkSpec& spec) {
  if (spec.width < 1 || spec.width > kMaxNetworkWidth) {
    return outOfRange("network.width", "an integer in " + between(1, kMaxNetworkWidth), std::to_string(spec.width));
  }
  if (spec.depth < 1 || spec.depth > kMaxNetworkDepth) {
    return outOfRange("network.depth", "an integer in " + between(1, kMaxNetworkDepth), std::to_string(spec.depth));
  }
  if (spec.timeFeatures < 0 || spec.timeFeatures > kMaxTimeFeatures || spec.timeFeatures % 2 != 0) {
    return outOfRange("network.timeFeatures", "an even integer in " + between(0, kMaxTimeFeatures),
                      std::to_string(spec.timeFeatures));
  }
  const int minClasses = spec.role == NetworkRole::Classifier ? 2 : 0;
  if (spec.classes < minClasses || spec.classes > 256) {
    return outOfRange("network.classes", "an integer in " + between(minClasses, 256), std::to_string(spec.classes));
  }
  return {};
}

std::vector<int> networkLayerSizes(const NetworkSpec& spec) {
  const bool classInput = spec.role == NetworkRole::Score && spec.classes > 0;
  std::vector<int> sizes{2 + spec.timeFeatures + (classInput ? spec.classes + 1 : 0)};
  sizes.insert(sizes.end(), std::size_t(spec.depth), spec.width);
  sizes.push_back(spec.role == NetworkRole::Classifier ? spec.classes : 2);
  return sizes;
}

std::string validateTrainingSettings(const TrainingSettings& settings) {
  if (std::string network = validateNetworkSpec(settings.network); !network.empty()) return network;
  if (settings.steps < 1 || settings.steps > kMaxTrainingSteps) {
    return outOfRange("training.steps", "an integer in " + between(1, kMaxTrainingSteps), std::to_string(settings.steps));
  }
  if (settings.batch < 1 || settings.batch > kMaxBatch) {
    return outOfRange("training.batch", "an integer in " + between(1, kMaxBatch), std::to_string(settings.batch));
  }
  const double lr = settings.adam.learningRate;
  if (!(lr > 0.0 && lr <= 1.0)) return outOfRange("training.lr", "a number in (0, 1]", shortNumber(lr));
  // Adam's moment decays must be below 1 (bias correction divides by 1 - beta^k) and not below 0,
  // and its epsilon must keep the update's denominator positive: else training runs to NaN.
  const AdamSettings& adam = settings.adam;
  if (!(adam.beta1 >= 0.0 && adam.beta1 < 1.0)) return outOfRange("training.adam.beta1", "a number in [0, 1)", shortNumber(adam.beta1));
  if (!(adam.beta2 >= 0.0 && adam.beta2 < 1.0)) return outOfRange("training.adam.beta2", "a number in [0, 1)", shortNumber(adam.beta2));
  if (!(adam.epsilon > 0.0 && std::isfinite(adam.epsilon))) {
    return outOfRange("training.adam.epsilon", "a finite number > 0", shortNumber(adam.epsilon));
  }
  const double p = settings.pEmpty;
  if (!(p >= 0.0 && p <= 1.0)) return outOfRange("training.pEmpty", "a probability in [0, 1]", shortNumber(p));
  if (!(settings.emaDecay >= 0.0 && settings.emaDecay < 1.0)) {
    return outOfRange("training.emaDecay", "a number in [0, 1)", shortNumber(settings.emaDecay));
  }
  if (settings.ncsnLevels < 2 || settings.ncsnLevels > kMaxNcsnLevels) {
    return outOfRange("training.ncsnLevels", "an integer in " + between(2, kMaxNcsnLevels),
                      std::to_string(settings.ncsnLevels));
  }
  return {};
}

void writeNoiseLevelFeatures(const Process& process, const Eigen::VectorXd& t, int features, int row,
                             Mlp<float>::Matrix& out) {
  const int frequencies = features / 2;
  for (Eigen::Index i = 0; i < t.size(); ++i) {
    const double sigma = std::max(process.s(t(i)) / process.a(t(i)), 1e-4);
    const double c = std::log(sigma) / 4.0;
    for (int k = 0; k < frequencies; ++k) {
      const double angle = std::numbers::pi * std::pow(2.0, k / 2.0 - 1.0) * c;
      out(row + 2 * k, i) = static_cast<float>(std::sin(angle));
      out(row + 2 * k + 1, i) = static_cast<float>(std::cos(angle));
    }
  }
}

Mlp<float>::Matrix networkInput(const TrainedNetwork& network, const Process& process, const Points& x,
                                const Eigen::VectorXd& t, const Labels* labels) {
  const NetworkSpec& spec = network.spec;
  const Eigen::Index n = x.rows();
  Mlp<float>::Matrix input(networkLayerSizes(spec).front(), n);
  const double sd2 = network.dataScale * network.dataScale;
  double lastT = std::nan(""), scale = 1.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (t(i) != lastT) {  // sampling passes one t for the whole batch
      lastT = t(i);
      const double a = process.a(lastT), s = process.s(lastT);
      scale = 1.0 / std::sqrt(a * a * sd2 + s * s);
    }
    input(0, i) = static_cast<float>(x(i, 0) * scale);
    input(1, i) = static_cast<float>(x(i, 1) * scale);
  }
  writeNoiseLevelFeatures(process, t, spec.timeFeatures, 2, input);
  if (input.rows() > 2 + spec.timeFeatures) {
    const int first = 2 + spec.timeFeatures;
    input.bottomRows(spec.classes + 1).setZero();
    for (Eigen::Index i = 0; i < n; ++i) {
      const int label = labels ? (*labels)(i) : -1;
      input(first + (label >= 0 && label < spec.classes ? label : spec.classes), i) = 1.0f;
    }
  }
  return input;
}

}  // namespace scorescope
