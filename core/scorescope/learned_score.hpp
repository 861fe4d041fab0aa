#pragma once
// A trained score network as a ScoreModel: every sampler, guidance wrapper and metric takes it
// unchanged. The network's output (in the parametrization of its loss) is turned into the score.
#include <memory>

#include "scorescope/score_model.hpp"
#include "scorescope/score_network.hpp"

namespace scorescope {

class LearnedScore final : public ScoreModel {
 public:
  // label < 0: unconditional (the null token of a class-conditional network). Throws
  // std::invalid_argument for a classifier network or a label the network does not have.
  explicit LearnedScore(std::shared_ptr<const TrainedNetwork> network, int label = -1);

  const Process& process() const override { return process_; }
  const TrainedNetwork& network() const { return *network_; }
  int label() const { return label_; }
  Points score(const Points& x, double t) const override;

 private:
  std::shared_ptr<const TrainedNetwork> network_;
  Process process_;
  int label_;
};

}  // namespace scorescope
