#pragma once
// Lesson 4's likelihood map: log p_0(x) by the PF-ODE (core likelihoodMap) of the score on show,
// on a coarse grid over a pane. One map integrates hundreds of ODEs, tens to hundreds of
// milliseconds, so it is computed on a worker thread and cached by its key (the model, the rect
// and the grid): the frame that asks first draws without it, `ready` asks for a redraw.
#include <QObject>
#include <QThreadPool>
#include <memory>
#include <vector>

#include "render/frame_data.hpp"
#include "scorescope/score_model.hpp"

namespace scorescope::gui {

struct LikelihoodKey {
  std::shared_ptr<const ScoreModel> model;
  double t0 = 0.0;  // where the likelihood is evaluated (the noise floor)
  render::WorldRect rect;
  int columns = 0, rows = 0;
  bool operator==(const LikelihoodKey&) const = default;
};

class LikelihoodMaps : public QObject {
  Q_OBJECT
 public:
  explicit LikelihoodMaps(QObject* parent = nullptr);
  ~LikelihoodMaps() override;

  // log p_0 at the key's texel-centre nodes (row-major, columns x rows) once computed; null while
  // it is computed (the first call starts it).
  std::shared_ptr<const Eigen::VectorXd> get(const LikelihoodKey& key) const;
  // Blocks until no map is being computed and delivers the results (tests, screenshots).
  void waitForIdle();
  // A map asked for is still being computed.
  bool computing() const;

 signals:
  void ready();

 private:
  struct Entry {
    LikelihoodKey key;
    std::shared_ptr<const Eigen::VectorXd> values;  // null while computing
  };
  mutable std::vector<Entry> entries_;  // newest last, at most kCached
  mutable QThreadPool pool_;
};

}  // namespace scorescope::gui
