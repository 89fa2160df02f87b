#pragma once
// Figures of any view (charts, the confusion matrix, the waveform, the spectrogram) as PNG or SVG
// at a chosen size and DPI, and the same drawing as vectors into any QPainter (the PDF report).
// One helper for every view: installExportAction() adds right-click > Export... to a view.
//
// Size and DPI mean what they mean in a paper: the figure is `pixels` / `dpi` inches wide, and the
// view is laid out at that physical size, so its 9 pt labels print as 9 pt. A PNG has exactly
// `pixels` pixels and records the DPI; an SVG is the same figure as vectors, its width and height
// given in millimetres and its view box in CSS pixels (1/96 inch).
// Call from the GUI thread. The view is laid out at the export size for the moment of drawing and
// put back at once.
#include <QByteArray>
#include <QImage>
#include <QRectF>
#include <QSize>
#include <QString>

class QPainter;
class QWidget;

namespace ser {

enum class FigureFormat { Png, Svg };

struct FigureSize {
  QSize pixels{1200, 800};  // PNG: the image's pixels; SVG: the pixels it rasterises to at `dpi`
  double dpi = 300.0;       // dots per inch, [30, 2400]

  // The size, in the view's logical pixels, the view is laid out at: pixels * logicalDpi / dpi,
  // at least the view's minimum size hint.
  QSize layoutSize(const QWidget* view) const;
};

// The figure size that reproduces what `view` shows now, at `dpi`.
FigureSize figureSizeOf(const QWidget* view, double dpi = 300.0);

// The view drawn at `layout` logical pixels, as SVG text (vectors; images inside the view, such
// as the spectrogram's heat map, stay images). `title` becomes the SVG's <title>.
QByteArray renderSvg(QWidget* view, QSize layout, const QString& title = QString());

// The view drawn into `painter` to fill `target` (in the painter's coordinates), laid out at
// `layout` logical pixels: vectors on a vector device (PDF, SVG), whatever the device's DPI.
void paintView(QPainter& painter, QWidget* view, QSize layout, const QRectF& target);

// The figure as an image of exactly size.pixels pixels with size.dpi recorded (dotsPerMeter).
QImage renderImage(QWidget* view, const FigureSize& size);

// Writes the figure to `path` in `format`. Throws ser::Error naming the file and the reason
// (unwritable folder, bad size).
void exportFigure(QWidget* view, const QString& path, FigureFormat format, const FigureSize& size);

// The format a file name asks for (".svg" = SVG, anything else PNG).
FigureFormat figureFormatOf(const QString& path);

// Adds "Export..." to `view`'s right-click menu: a dialog asks for the file, format, size and DPI
// (starting from what the view shows now) and writes the figure; errors go to a message box.
// `baseName` is the suggested file name without extension.
void installExportAction(QWidget* view, const QString& baseName);

}  // namespace ser
