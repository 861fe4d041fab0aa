#include "gui/sampling_worker.hpp"

#include <QMetaObject>
#include <cstdio>
#include <exception>

namespace scorescope::gui {

SamplingWorker::SamplingWorker(QObject* parent) : QObject(parent) {
  // Two threads: a new job can start while a cancelled one finishes its current step.
  pool_.setMaxThreadCount(2);
}

SamplingWorker::~SamplingWorker() {
  cancel();
  pool_.clear();  // queued jobs never start; the running ones stop at their next step
  pool_.waitForDone();
}

int SamplingWorker::submit(SamplingJob job) {
  const int generation = ++generation_;
  progress_ = 0;
  ++running_;
  pool_.start([this, generation, job = std::move(job)] {
    auto runs = std::make_shared<std::vector<SampleRun>>();
    try {
      const JobControl control(generation_, generation, progress_);
      if (!control.cancelled()) *runs = job(control);  // a queued job may be stale by now
    } catch (const std::exception& e) {
      std::fprintf(stderr, "scorescope: sampling job failed: %s\n", e.what());
      runs->clear();
    }
    if (generation_.load() == generation) {
      // Queued to the GUI thread; dropped by Qt if this worker is gone by then.
      QMetaObject::invokeMethod(this, [this, generation, runs] {
        if (generation_.load() == generation) emit finished(generation, runs);
      }, Qt::QueuedConnection);
    }
    --running_;
  });
  return generation;
}

int SamplingWorker::cancel() { return ++generation_; }

void SamplingWorker::waitForIdle() { pool_.waitForDone(); }

}  // namespace scorescope::gui
