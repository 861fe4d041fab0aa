#pragma once
// File > Export: the plot alone (no panels) as one PNG of the moment on screen at any size, or
// the scene as PNG frames, a GIF or an MP4 (the last two through ffmpeg). The settings form,
// then a progress dialog with Cancel while an ExportJob renders one frame per event-loop turn in
// the viewport's GL context, so the window stays responsive. Every failure is a message box; a
// cancelled or failed export leaves nothing under the chosen name.
#include <QDialog>

#include "export/export_settings.hpp"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QRadioButton;

namespace scorescope::gui {

class ViewportWindow;

class ExportDialog : public QDialog {
 public:
  ExportDialog(ViewportWindow* viewport, QWidget* parent);

  // The settings as the form shows them (the output name as typed), and the form filled from
  // settings (tests; start >= 0 means "from the play head" unless it is 0).
  exporting::ExportSettings settings() const;
  void setForm(const exporting::ExportSettings& s);
  // Runs the export with the form's settings; empty on success, else the message shown.
  QString run();

 private:
  void formatChanged();
  void browse();

  ViewportWindow* viewport_;
  QComboBox* format_;
  QLineEdit* out_;
  QSpinBox *width_, *height_, *quality_;
  QDoubleSpinBox *fps_, *seconds_, *uiScale_;
  QRadioButton *fromStart_, *fromHere_;
  QLabel* qualityLabel_;
  QLabel* note_;
};

}  // namespace scorescope::gui
