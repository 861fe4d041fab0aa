#include "gui/likelihood_maps.hpp"

#include <QCoreApplication>

#include "scorescope/metrics.hpp"

namespace scorescope::gui {
namespace {

// Maps kept: the panes of one view (exact and learned) and the previous view while panning back.
constexpr std::size_t kCached = 6;

}  // namespace

LikelihoodMaps::LikelihoodMaps(QObject* parent) : QObject(parent) { pool_.setMaxThreadCount(1); }

LikelihoodMaps::~LikelihoodMaps() { pool_.waitForDone(); }

std::shared_ptr<const Eigen::VectorXd> LikelihoodMaps::get(const LikelihoodKey& key) const {
  for (const Entry& e : entries_) {
    if (e.key == key) return e.values;
  }
  if (entries_.size() >= kCached) {  // drop the oldest finished map (a running one delivers into nothing)
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->values) {
        entries_.erase(it);
        break;
      }
    }
  }
  entries_.push_back({key, nullptr});
  auto* self = const_cast<LikelihoodMaps*>(this);
  pool_.start([self, key] {
    Points nodes(Eigen::Index(key.columns) * key.rows, 2);
    for (int j = 0; j < key.rows; ++j) {
      for (int i = 0; i < key.columns; ++i) {
        nodes.row(Eigen::Index(j) * key.columns + i) << key.rect.xMin + i * key.rect.width() / (key.columns - 1),
            key.rect.yMin + j * key.rect.height() / (key.rows - 1);
      }
    }
    auto values = std::make_shared<const Eigen::VectorXd>(likelihoodMap(*key.model, nodes, key.t0));
    // Back on the GUI thread (the pool is drained before this object dies).
    QMetaObject::invokeMethod(self, [self, key, values] {
      for (Entry& e : self->entries_) {
        if (e.key == key) e.values = values;
      }
      emit self->ready();
    }, Qt::QueuedConnection);
  });
  return nullptr;
}

bool LikelihoodMaps::computing() const {
  for (const Entry& e : entries_) {
    if (!e.values) return true;
  }
  return false;
}

void LikelihoodMaps::waitForIdle() {
  pool_.waitForDone();
  QCoreApplication::sendPostedEvents(this);
}

}  // namespace scorescope::gui
