#pragma once
// The dialog behind right-click > Export...: file, format (PNG or SVG), width and height in
// pixels (aspect kept unless unlocked) and DPI, with the printed size it gives.
#include <QDialog>

#include "ui/common/view_export.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ser {

class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  ExportDialog(const FigureSize& initial, const QString& baseName, QWidget* parent = nullptr);

  QString path() const;  // with the format's suffix
  FigureFormat format() const;
  FigureSize figureSize() const;

  void setPath(const QString& path);  // also picks the format from the suffix
  void setFigureSize(const FigureSize& size);

  QLineEdit* pathEdit() const { return path_; }
  QSpinBox* widthBox() const { return width_; }
  QSpinBox* heightBox() const { return height_; }
  QDoubleSpinBox* dpiBox() const { return dpi_; }

 private:
  void browse();
  void updatePhysical();

  QLineEdit* path_;
  QComboBox* format_;
  QSpinBox* width_;
  QSpinBox* height_;
  QCheckBox* keepAspect_;
  QDoubleSpinBox* dpi_;
  QLabel* physical_;
  double aspect_ = 1.5;
};

}  // namespace ser
