#include "ui/common/view_export.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QEvent>
#include <QFileInfo>
#include <QLayout>
#include <QMessageBox>
#include <QPainter>
#include <QPicture>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QSvgRenderer>
#include <QWidget>
#include <algorithm>
#include <cmath>
#include <functional>

#include "core/base/error.h"
#include "ui/common/export_dialog.h"

namespace ser {
namespace {

constexpr double kMinDpi = 30.0, kMaxDpi = 2400.0;
constexpr int kMaxPixels = 20000;

// Lays `view` out at `layout` for the duration of `draw`, then puts it back. A view that is not
// shown (a report's offscreen view) is shown without reaching the screen, so its layouts and chart
// scenes run.
void withLayout(QWidget* view, QSize layout, const std::function<void()>& draw) {
  const QSize old = view->size();
  const bool showed = !view->isVisible() && view->isWindow();
  if (showed) {
    view->setAttribute(Qt::WA_DontShowOnScreen);
    view->show();
  }
  // Layouts and chart scenes settle through posted LayoutRequest events; a parent's layout may
  // put the old size back while they run, so resize until the size holds.
  for (int i = 0; i < 3; ++i) {
    view->resize(layout);
    if (view->layout()) view->layout()->activate();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    if (view->size() == layout) break;
  }
  draw();
  view->resize(old);
  QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  if (showed) view->hide();
}

void checkSize(const FigureSize& size, const QString& path) {
  if (size.pixels.width() < 1 || size.pixels.height() < 1 || size.pixels.width() > kMaxPixels ||
      size.pixels.height() > kMaxPixels)
    throw Error(QStringLiteral("Cannot export %1: size %2 x %3 px is outside 1 to %4")
                    .arg(path)
                    .arg(size.pixels.width())
                    .arg(size.pixels.height())
                    .arg(kMaxPixels)
                    .toStdString());
  if (!(size.dpi >= kMinDpi && size.dpi <= kMaxDpi))
    throw Error(QStringLiteral("Cannot export %1: %2 DPI is outside %3 to %4")
                    .arg(path)
                    .arg(size.dpi)
                    .arg(kMinDpi)
                    .arg(kMaxDpi)
                    .toStdString());
}

}  // namespace

QSize FigureSize::layoutSize(const QWidget* view) const {
  const double scale = view->logicalDpiX() / std::clamp(dpi, kMinDpi, kMaxDpi);
  QSize s(std::max(1, int(std::lround(pixels.width() * scale))), std::max(1, int(std::lround(pixels.height() * scale))));
  return s.expandedTo(view->minimumSizeHint());
}

FigureSize figureSizeOf(const QWidget* view, double dpi) {
  FigureSize f;
  f.dpi = dpi;
  const double scale = dpi / view->logicalDpiX();
  const QSize s = view->size().isEmpty() ? view->sizeHint() : view->size();
  f.pixels = QSize(int(std::lround(s.width() * scale)), int(std::lround(s.height() * scale)));
  return f;
}

QByteArray renderSvg(QWidget* view, QSize layout, const QString& title) {
  QByteArray bytes;
  QBuffer buffer(&bytes);
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  // The view's own DPI: fonts keep the sizes its layout measured them at.
  svg.setResolution(view->logicalDpiX());
  svg.setSize(layout);
  svg.setViewBox(QRect(QPoint(0, 0), layout));
  svg.setTitle(title);
  svg.setDescription(QStringLiteral("SER Workbench"));
  withLayout(view, layout, [&] {
    QPainter p(&svg);
    p.fillRect(QRect(QPoint(0, 0), layout), Qt::white);
    view->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
    p.end();
  });
  return bytes;
}

void paintView(QPainter& painter, QWidget* view, QSize layout, const QRectF& target) {
  // Recorded as a QPicture at the view's own DPI and replayed scaled into the target: a 300-dpi
  // PDF gets the screen's layout, its lines as vectors and its text as text.
  QPicture picture;
  withLayout(view, layout, [&] {
    QPainter p(&picture);
    view->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
    p.end();
  });
  painter.save();
  painter.translate(target.topLeft());
  painter.scale(target.width() / layout.width(), target.height() / layout.height());
  painter.setClipRect(QRectF(QPointF(0, 0), QSizeF(layout)), Qt::IntersectClip);
  // QPicture replays at the target device's DPI (a 300-dpi PDF would get it 300/96 times larger):
  // undo that, so the layout maps onto `target`.
  if (const QPaintDevice* device = painter.device()) {
    painter.scale(double(picture.logicalDpiX()) / device->logicalDpiX(),
                  double(picture.logicalDpiY()) / device->logicalDpiY());
  }
  painter.drawPicture(QPointF(0, 0), picture);
  painter.restore();
}

QImage renderImage(QWidget* view, const FigureSize& size) {
  checkSize(size, QStringLiteral("the figure"));
  const QSize layout = size.layoutSize(view);
  QImage image(size.pixels, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  withLayout(view, layout, [&] {
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    p.scale(double(size.pixels.width()) / layout.width(), double(size.pixels.height()) / layout.height());
    view->render(&p, QPoint(), QRegion(), QWidget::DrawChildren);
    p.end();
  });
  const int dpm = int(std::lround(size.dpi / 0.0254));
  image.setDotsPerMeterX(dpm);
  image.setDotsPerMeterY(dpm);
  return image.convertToFormat(QImage::Format_RGB32);
}

FigureFormat figureFormatOf(const QString& path) {
  return QFileInfo(path).suffix().compare(QStringLiteral("svg"), Qt::CaseInsensitive) == 0 ? FigureFormat::Svg
                                                                                          : FigureFormat::Png;
}

void exportFigure(QWidget* view, const QString& path, FigureFormat format, const FigureSize& size) {
  checkSize(size, path);
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    throw Error(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()).toStdString());
  if (format == FigureFormat::Svg) {
    QByteArray svg = renderSvg(view, size.layoutSize(view), QFileInfo(path).completeBaseName());
    // The physical size the DPI asks for (the generator writes it from the layout at screen DPI,
    // which is the same size: layout = pixels * logicalDpi / dpi).
    file.write(svg);
  } else {
    const QImage image = renderImage(view, size);
    if (!image.save(&file, "PNG"))
      throw Error(QStringLiteral("Cannot write %1: the PNG could not be encoded").arg(path).toStdString());
  }
  if (!file.commit())
    throw Error(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()).toStdString());
}

void installExportAction(QWidget* view, const QString& baseName) {
  auto* action = new QAction(QObject::tr("Export\u2026"), view);
  action->setObjectName(QStringLiteral("exportFigureAction"));
  action->setToolTip(QObject::tr("Save this figure as PNG or SVG at a chosen size and DPI"));
  view->addAction(action);
  view->setContextMenuPolicy(Qt::ActionsContextMenu);
  QObject::connect(action, &QAction::triggered, view, [view, baseName] {
    ExportDialog dialog(figureSizeOf(view), baseName, view);
    if (dialog.exec() != QDialog::Accepted) return;
    try {
      exportFigure(view, dialog.path(), dialog.format(), dialog.figureSize());
    } catch (const Error& e) {
      QMessageBox::warning(view, QObject::tr("Export failed"), QString::fromUtf8(e.what()));
    }
  });
}

}  // namespace ser
