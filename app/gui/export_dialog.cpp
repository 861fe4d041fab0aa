#include "gui/export_dialog.hpp"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

#include "export/export_job.hpp"
#include "gui/viewport_window.hpp"

namespace scorescope::gui {
namespace {

using exporting::ExportFormat;

// The combo's order.
constexpr ExportFormat kFormats[] = {ExportFormat::Png, ExportFormat::Mp4, ExportFormat::Gif, ExportFormat::PngSequence};

QString defaultName(ExportFormat f) {
  switch (f) {
    case ExportFormat::Png: return "scorescope.png";
    case ExportFormat::Mp4: return "scorescope.mp4";
    case ExportFormat::Gif: return "scorescope.gif";
    case ExportFormat::PngSequence: return "scorescope-frames";
  }
  return "scorescope";
}

}  // namespace

ExportDialog::ExportDialog(ViewportWindow* viewport, QWidget* parent) : QDialog(parent), viewport_(viewport) {
  setWindowTitle("Export the plot");
  auto* form = new QFormLayout;
  format_ = new QComboBox;
  format_->addItems({"PNG picture of this moment", "MP4 video (ffmpeg)", "GIF animation (ffmpeg)", "PNG frames (a folder)"});
  form->addRow("Format", format_);

  auto* outRow = new QHBoxLayout;
  out_ = new QLineEdit(QDir::home().filePath(defaultName(ExportFormat::Png)));
  auto* browse = new QPushButton("Browse...");
  outRow->addWidget(out_);
  outRow->addWidget(browse);
  form->addRow("Save as", outRow);

  auto* sizeRow = new QHBoxLayout;
  width_ = new QSpinBox;
  height_ = new QSpinBox;
  for (QSpinBox* s : {width_, height_}) s->setRange(exporting::kMinExportSide, exporting::kMaxExportSide);
  width_->setValue(1920);
  height_->setValue(1080);
  auto* presets = new QComboBox;
  presets->addItems({"1280 x 720", "1920 x 1080", "2560 x 1440", "3840 x 2160 (4K)", "the window's plot"});
  presets->setCurrentIndex(1);
  sizeRow->addWidget(width_);
  sizeRow->addWidget(new QLabel("x"));
  sizeRow->addWidget(height_);
  sizeRow->addWidget(presets);
  form->addRow("Size (pixels)", sizeRow);
  connect(presets, &QComboBox::activated, this, [this](int i) {
    const QSize sizes[] = {{1280, 720}, {1920, 1080}, {2560, 1440}, {3840, 2160}};
    QSize size = i < 4 ? sizes[i] : QSize(viewport_->controller().layout().canvasWidth(), viewport_->controller().layout().canvasHeight());
    width_->setValue(size.width());
    height_->setValue(size.height());
    // Text stays legible at 4K: the UI scale follows the height (1x at 1080 lines or less).
    uiScale_->setValue(std::clamp(size.height() / 1080.0, 1.0, 3.0));
  });

  uiScale_ = new QDoubleSpinBox;
  uiScale_->setRange(1.0, 3.0);
  uiScale_->setSingleStep(0.25);
  uiScale_->setValue(viewport_->controller().uiScale());
  uiScale_->setSuffix(" x");
  form->addRow("Text and line scale", uiScale_);

  fps_ = new QDoubleSpinBox;
  fps_->setRange(exporting::kMinFps, exporting::kMaxFps);
  fps_->setDecimals(0);
  fps_->setValue(30);
  form->addRow("Frames per second", fps_);
  seconds_ = new QDoubleSpinBox;
  seconds_->setRange(0.1, exporting::kMaxSeconds);
  seconds_->setValue(10.0);
  seconds_->setSuffix(" s");
  form->addRow("Duration", seconds_);
  auto* startRow = new QHBoxLayout;
  fromStart_ = new QRadioButton("the beginning");
  fromHere_ = new QRadioButton("the play head");
  fromStart_->setChecked(true);
  startRow->addWidget(fromStart_);
  startRow->addWidget(fromHere_);
  form->addRow("Start from", startRow);
  quality_ = new QSpinBox;
  qualityLabel_ = new QLabel("Quality");
  form->addRow(qualityLabel_, quality_);
  note_ = new QLabel;
  note_->setWordWrap(true);
  form->addRow(note_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  buttons->button(QDialogButtonBox::Ok)->setText("Export");
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(buttons, &QDialogButtonBox::accepted, this, [this] {
    const QString error = run();
    if (error.isEmpty()) accept();
    else if (error != "cancelled") QMessageBox::warning(this, "Export", error);
  });
  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
  connect(format_, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
  formatChanged();
}

void ExportDialog::formatChanged() {
  const ExportFormat f = kFormats[format_->currentIndex()];
  const bool animation = f != ExportFormat::Png;
  for (QWidget* w : {static_cast<QWidget*>(fps_), static_cast<QWidget*>(seconds_), static_cast<QWidget*>(fromStart_),
                     static_cast<QWidget*>(fromHere_)}) {
    w->setEnabled(animation);
  }
  // The output name follows the format (its folder kept).
  const QFileInfo now(out_->text());
  out_->setText(QDir(now.absolutePath()).filePath(QFileInfo(defaultName(f)).completeBaseName() +
                                                  (f == ExportFormat::PngSequence ? "" : "." + QFileInfo(defaultName(f)).suffix())));
  quality_->setEnabled(f == ExportFormat::Mp4 || f == ExportFormat::Gif);
  if (f == ExportFormat::Mp4) {
    qualityLabel_->setText("Quality (x264 CRF, lower is better)");
    quality_->setRange(0, 51);
    quality_->setValue(exporting::defaultQuality(f));
  } else if (f == ExportFormat::Gif) {
    qualityLabel_->setText("Colours");
    quality_->setRange(2, 256);
    quality_->setValue(exporting::defaultQuality(f));
  } else {
    qualityLabel_->setText("Quality");
  }
  const bool needsFfmpeg = f == ExportFormat::Mp4 || f == ExportFormat::Gif;
  const bool missing = needsFfmpeg && exporting::findFfmpeg().isEmpty();
  note_->setText(missing ? exporting::ffmpegMissingMessage() + "." : f == ExportFormat::Png ? "The plot as it is now, without the panels." : "");
  note_->setStyleSheet(missing ? "color: #e06c5a" : "");
  if (auto* box = findChild<QDialogButtonBox*>()) box->button(QDialogButtonBox::Ok)->setEnabled(!missing);
}

void ExportDialog::browse() {
  const ExportFormat f = kFormats[format_->currentIndex()];
  QString path;
  if (f == ExportFormat::PngSequence) {
    path = QFileDialog::getSaveFileName(this, "Folder for the PNG frames (a new or empty folder)", out_->text());
  } else {
    const QString filter = f == ExportFormat::Png ? "PNG images (*.png)" : f == ExportFormat::Mp4 ? "MP4 videos (*.mp4)" : "GIF animations (*.gif)";
    path = QFileDialog::getSaveFileName(this, "Export as", out_->text(), filter);
  }
  if (!path.isEmpty()) out_->setText(path);
}

exporting::ExportSettings ExportDialog::settings() const {
  exporting::ExportSettings s;
  s.format = kFormats[format_->currentIndex()];
  s.out = out_->text();
  s.width = width_->value();
  s.height = height_->value();
  s.fps = fps_->value();
  s.seconds = seconds_->value();
  s.quality = quality_->isEnabled() ? quality_->value() : -1;
  s.uiScale = static_cast<float>(uiScale_->value());
  const double here = viewport_->session().timeline().position();
  s.start = s.format == ExportFormat::Png || fromHere_->isChecked() ? here : 0.0;
  return s;
}

void ExportDialog::setForm(const exporting::ExportSettings& s) {
  for (int i = 0; i < static_cast<int>(std::size(kFormats)); ++i) {
    if (kFormats[i] == s.format) format_->setCurrentIndex(i);
  }
  out_->setText(s.out);
  width_->setValue(s.width);
  height_->setValue(s.height);
  fps_->setValue(s.fps);
  seconds_->setValue(s.seconds);
  if (s.quality >= 0) quality_->setValue(s.quality);
  uiScale_->setValue(s.uiScale);
  (s.start > 0.0 ? fromHere_ : fromStart_)->setChecked(true);
}

QString ExportDialog::run() {
  exporting::ExportSettings s = settings();
  // The name says the format; a missing or other extension gets the format's.
  if (s.format != ExportFormat::PngSequence) {
    const QString suffix = QFileInfo(defaultName(s.format)).suffix();
    if (QFileInfo(s.out).suffix().toLower() != suffix) s.out += "." + suffix;
  }
  if (s.format != ExportFormat::PngSequence && QFileInfo::exists(s.out) &&
      QMessageBox::question(this, "Export", s.out + " exists. Replace it?") != QMessageBox::Yes) {
    return "cancelled";
  }
  if (QString problem = exporting::validateExportSettings(s); !problem.isEmpty()) return problem;

  Session& session = viewport_->session();
  viewport_->makeCurrent();  // the job renders in the viewport's context, between its frames
  auto job = std::make_unique<exporting::ExportJob>(session.scene(), session.learnedModels(), s);
  QString error = job->start();
  QProgressDialog progress("Exporting " + QFileInfo(s.out).fileName() + "...", "Cancel", 0, job->frameCount(), this);
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(300);
  QElapsedTimer clock;
  clock.start();
  bool more = error.isEmpty();
  while (more) {
    viewport_->makeCurrent();
    more = job->step();
    progress.setValue(job->framesWritten());
    progress.setLabelText(QString("Exporting %1: frame %2 of %3").arg(QFileInfo(s.out).fileName()).arg(job->framesWritten()).arg(job->frameCount()));
    // One frame per turn of the event loop: the window repaints and Cancel is heard.
    QApplication::processEvents();
    if (progress.wasCanceled()) {
      viewport_->makeCurrent();
      job->cancel();
      job.reset();
      viewport_->doneCurrent();
      return "cancelled";
    }
  }
  viewport_->makeCurrent();
  if (error.isEmpty()) error = job->error();
  if (error.isEmpty()) {
    // ffmpeg makes a GIF's palette (and finishes an MP4) only after the last frame: say so
    // rather than sit at 100%.
    progress.setLabelText("Finishing " + QFileInfo(s.out).fileName() + " (ffmpeg is encoding)...");
    progress.setCancelButton(nullptr);
    QApplication::processEvents();
    viewport_->makeCurrent();
    error = job->finish();
  }
  job.reset();  // releases its GL objects in this context
  viewport_->doneCurrent();
  progress.setValue(progress.maximum());
  return error;
}

}  // namespace scorescope::gui
