#include "ui/common/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <cmath>

namespace ser {

ExportDialog::ExportDialog(const FigureSize& initial, const QString& baseName, QWidget* parent)
    : QDialog(parent),
      path_(new QLineEdit(this)),
      format_(new QComboBox(this)),
      width_(new QSpinBox(this)),
      height_(new QSpinBox(this)),
      keepAspect_(new QCheckBox(tr("Keep aspect ratio"), this)),
      dpi_(new QDoubleSpinBox(this)),
      physical_(new QLabel(this)) {
  setWindowTitle(tr("Export figure"));
  format_->addItem(tr("PNG image"), int(FigureFormat::Png));
  format_->addItem(tr("SVG vector drawing"), int(FigureFormat::Svg));
  for (QSpinBox* box : {width_, height_}) {
    box->setRange(16, 20000);
    box->setSuffix(tr(" px"));
  }
  dpi_->setRange(30, 2400);
  dpi_->setDecimals(0);
  dpi_->setSuffix(tr(" DPI"));
  keepAspect_->setChecked(true);
  auto* browse = new QPushButton(tr("Browse\u2026"), this);
  auto* pathRow = new QHBoxLayout;
  pathRow->addWidget(path_, 1);
  pathRow->addWidget(browse);
  auto* sizeRow = new QHBoxLayout;
  sizeRow->addWidget(width_);
  sizeRow->addWidget(new QLabel(QStringLiteral("\u00d7"), this));
  sizeRow->addWidget(height_);
  sizeRow->addWidget(keepAspect_);
  auto* form = new QFormLayout;
  form->addRow(tr("File:"), pathRow);
  form->addRow(tr("Format:"), format_);
  form->addRow(tr("Size:"), sizeRow);
  form->addRow(tr("Resolution:"), dpi_);
  form->addRow(QString(), physical_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);

  setPath(QDir::home().filePath(baseName + QStringLiteral(".png")));
  setFigureSize(initial);

  connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(format_, &QComboBox::currentIndexChanged, this, [this] { setPath(path()); });
  connect(width_, &QSpinBox::valueChanged, this, [this](int w) {
    if (keepAspect_->isChecked()) {
      const QSignalBlocker block(height_);
      height_->setValue(int(std::lround(w / aspect_)));
    }
    updatePhysical();
  });
  connect(height_, &QSpinBox::valueChanged, this, [this](int h) {
    if (keepAspect_->isChecked()) {
      const QSignalBlocker block(width_);
      width_->setValue(int(std::lround(h * aspect_)));
    }
    updatePhysical();
  });
  connect(keepAspect_, &QCheckBox::toggled, this, [this](bool on) {
    if (on) aspect_ = double(width_->value()) / std::max(1, height_->value());
  });
  connect(dpi_, &QDoubleSpinBox::valueChanged, this, &ExportDialog::updatePhysical);
}

QString ExportDialog::path() const {
  QString p = path_->text().trimmed();
  const QString suffix = format() == FigureFormat::Svg ? QStringLiteral("svg") : QStringLiteral("png");
  const QFileInfo info(p);
  if (info.suffix().compare(suffix, Qt::CaseInsensitive) != 0) {
    const QString lower = info.suffix().toLower();
    if (lower == QLatin1String("png") || lower == QLatin1String("svg")) p.chop(lower.size() + 1);
    p += QLatin1Char('.') + suffix;
  }
  return p;
}

FigureFormat ExportDialog::format() const { return FigureFormat(format_->currentData().toInt()); }

FigureSize ExportDialog::figureSize() const {
  FigureSize s;
  s.pixels = QSize(width_->value(), height_->value());
  s.dpi = dpi_->value();
  return s;
}

void ExportDialog::setPath(const QString& path) {
  {
    const QSignalBlocker block(format_);
    format_->setCurrentIndex(figureFormatOf(path) == FigureFormat::Svg ? 1 : 0);
  }
  path_->setText(path);
  path_->setText(this->path());
}

void ExportDialog::setFigureSize(const FigureSize& size) {
  const QSignalBlocker bw(width_), bh(height_);
  width_->setValue(size.pixels.width());
  height_->setValue(size.pixels.height());
  dpi_->setValue(size.dpi);
  aspect_ = double(size.pixels.width()) / std::max(1, size.pixels.height());
  updatePhysical();
}

void ExportDialog::browse() {
  const QString svg = tr("SVG vector drawing (*.svg)"), png = tr("PNG image (*.png)");
  QString filter = format() == FigureFormat::Svg ? svg : png;
  const QString chosen =
      QFileDialog::getSaveFileName(this, tr("Export figure"), path(), png + QStringLiteral(";;") + svg, &filter);
  if (chosen.isEmpty()) return;
  format_->setCurrentIndex(filter == svg ? 1 : 0);
  setPath(QFileInfo(chosen).suffix().isEmpty() ? chosen + (filter == svg ? ".svg" : ".png") : chosen);
}

void ExportDialog::updatePhysical() {
  const double dpi = std::max(1.0, dpi_->value());
  const double w = width_->value() / dpi, h = height_->value() / dpi;
  physical_->setText(tr("Printed size %1 \u00d7 %2 in (%3 \u00d7 %4 cm); labels keep their point size")
                         .arg(w, 0, 'f', 2)
                         .arg(h, 0, 'f', 2)
                         .arg(w * 2.54, 0, 'f', 1)
                         .arg(h * 2.54, 0, 'f', 1));
}

}  // namespace ser
