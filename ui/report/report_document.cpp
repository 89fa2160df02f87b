#include "ui/report/report_document.h"

#include <QDate>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <algorithm>

namespace ser {
namespace {

constexpr int kResolution = 300;  // dpi of the PDF's device units

QFont makeFont(double pointSize, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setStyleHint(QFont::SansSerif);
  f.setPointSizeF(pointSize);
  f.setBold(bold);
  return f;
}

}  // namespace

ReportDocument::ReportDocument(const QString& pdfPath, const QString& title)
    : writer_(std::make_unique<QPdfWriter>(pdfPath)), title_(title) {
  writer_->setResolution(kResolution);
  writer_->setPageSize(QPageSize(QPageSize::A4));
  writer_->setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter);
  writer_->setTitle(title);
  writer_->setCreator(QStringLiteral("SER Workbench"));
  ok_ = painter_.begin(writer_.get());
  if (!ok_) return;
  painter_.setRenderHint(QPainter::Antialiasing);
  painter_.setRenderHint(QPainter::SmoothPixmapTransform);
  const double w = writer_->width(), h = writer_->height();
  area_ = QRectF(mm(18), mm(18), w - mm(36), h - mm(18) - mm(22));
  y_ = area_.top();
}

ReportDocument::~ReportDocument() {
  if (painter_.isActive()) finish();
}

double ReportDocument::mm(double v) const { return v * kResolution / 25.4; }

void ReportDocument::footer() {
  painter_.save();
  painter_.setFont(makeFont(8));
  painter_.setPen(QColor(0x70, 0x70, 0x70));
  const QRectF foot(area_.left(), area_.bottom() + mm(6), area_.width(), mm(8));
  painter_.drawLine(QPointF(foot.left(), foot.top()), QPointF(foot.right(), foot.top()));
  painter_.drawText(foot, Qt::AlignLeft | Qt::AlignVCenter, title_);
  painter_.drawText(foot, Qt::AlignRight | Qt::AlignVCenter, QObject::tr("Page %1").arg(page_));
  painter_.restore();
}

void ReportDocument::newPage() {
  footer();
  writer_->newPage();
  ++page_;
  y_ = area_.top();
}

void ReportDocument::ensure(double height) {
  if (y_ + height > area_.bottom() && y_ > area_.top()) newPage();
}

void ReportDocument::vspace(double v) { y_ += mm(v); }

void ReportDocument::title(const QString& text, double pointSize, QColor color, bool centered) {
  painter_.setFont(makeFont(pointSize, true));
  painter_.setPen(color);
  const int flags = (centered ? Qt::AlignHCenter : Qt::AlignLeft) | Qt::TextWordWrap;
  const QRectF r = painter_.boundingRect(QRectF(area_.left(), 0, area_.width(), 1e6), flags, text);
  ensure(r.height());
  painter_.drawText(QRectF(area_.left(), y_, area_.width(), r.height()), flags, text);
  y_ += r.height() + mm(2);
}

double ReportDocument::imageHeightMm(const QImage& img, double widthFraction) const {
  if (img.isNull()) return 0;
  const double h = widthFraction * area_.width() * img.height() / std::max(1, img.width());
  return std::min(h, area_.height()) * 25.4 / kResolution + 3;
}

void ReportDocument::heading(const QString& text, double keepWithNextMm) {
  ensure(mm(18 + keepWithNextMm));
  vspace(3);
  painter_.setFont(makeFont(15, true));
  painter_.setPen(QColor(0x1f, 0x3a, 0x5f));
  const double h = QFontMetricsF(painter_.font(), writer_.get()).height();
  painter_.drawText(QRectF(area_.left(), y_, area_.width(), h), Qt::AlignLeft | Qt::AlignVCenter, text);
  y_ += h + mm(1);
  painter_.setPen(QPen(QColor(0x1f, 0x3a, 0x5f), mm(0.4)));
  painter_.drawLine(QPointF(area_.left(), y_), QPointF(area_.right(), y_));
  y_ += mm(3);
}

void ReportDocument::subheading(const QString& text, double keepWithNextMm) {
  ensure(mm(10 + keepWithNextMm));
  vspace(1.5);
  painter_.setFont(makeFont(11.5, true));
  painter_.setPen(QColor(0x1f, 0x3a, 0x5f));
  const int flags = Qt::AlignLeft | Qt::TextWordWrap;
  const QRectF r = painter_.boundingRect(QRectF(area_.left(), 0, area_.width(), 1e6), flags, text);
  painter_.drawText(QRectF(area_.left(), y_, area_.width(), r.height()), flags, text);
  y_ += r.height() + mm(1.5);
}

void ReportDocument::paragraph(const QString& text, QColor color, bool bold, double pointSize) {
  painter_.setFont(makeFont(pointSize, bold));
  painter_.setPen(color);
  const int flags = Qt::AlignLeft | Qt::TextWordWrap;
  const QRectF r = painter_.boundingRect(QRectF(area_.left(), 0, area_.width(), 1e6), flags, text);
  ensure(r.height());
  painter_.drawText(QRectF(area_.left(), y_, area_.width(), r.height()), flags, text);
  y_ += r.height() + mm(1.5);
}

void ReportDocument::banner(const QString& text, QColor background) {
  painter_.setFont(makeFont(10.5, true));
  const double pad = mm(2.5);
  const int flags = Qt::AlignLeft | Qt::TextWordWrap;
  const QRectF r =
      painter_.boundingRect(QRectF(area_.left() + pad, 0, area_.width() - 2 * pad, 1e6), flags, text);
  const double h = r.height() + 2 * pad;
  ensure(h);
  painter_.setPen(Qt::NoPen);
  painter_.setBrush(background);
  painter_.drawRoundedRect(QRectF(area_.left(), y_, area_.width(), h), mm(1), mm(1));
  painter_.setBrush(Qt::NoBrush);
  painter_.setPen(Qt::white);
  painter_.drawText(QRectF(area_.left() + pad, y_ + pad, area_.width() - 2 * pad, r.height()), flags, text);
  y_ += h + mm(2);
}

double ReportDocument::rowHeight(const QStringList& cells, const std::vector<double>& widths,
                                 const QFont& font) const {
  QFontMetricsF fm(font, writer_.get());
  double h = fm.height();
  for (int c = 0; c < cells.size() && c < static_cast<int>(widths.size()); ++c) {
    const QRectF r = fm.boundingRect(QRectF(0, 0, widths[c] * area_.width() - mm(2), 1e6),
                                     Qt::AlignLeft | Qt::TextWordWrap, cells[c]);
    h = std::max(h, r.height());
  }
  return h + mm(1.6);
}

void ReportDocument::table(const QStringList& header, const std::vector<QStringList>& rows,
                           const std::vector<double>& widths, const std::vector<int>& rightAligned,
                           double pointSize) {
  const QFont body = makeFont(pointSize), bold = makeFont(pointSize, true);
  auto drawRow = [&](const QStringList& cells, const QFont& font, double h, bool isHeader, bool shaded) {
    if (isHeader || shaded) {
      painter_.fillRect(QRectF(area_.left(), y_, area_.width(), h),
                        isHeader ? QColor(0xdf, 0xe6, 0xee) : QColor(0xf5, 0xf7, 0xfa));
    }
    painter_.setFont(font);
    painter_.setPen(Qt::black);
    double x = area_.left();
    for (int c = 0; c < cells.size() && c < static_cast<int>(widths.size()); ++c) {
      const double w = widths[c] * area_.width();
      const bool right = std::find(rightAligned.begin(), rightAligned.end(), c) != rightAligned.end();
      painter_.drawText(QRectF(x + mm(1), y_ + mm(0.8), w - mm(2), h - mm(1.6)),
                        (right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop | Qt::TextWordWrap, cells[c]);
      x += w;
    }
    y_ += h;
  };
  const double headerH = rowHeight(header, widths, bold);
  ensure(headerH + (rows.empty() ? 0 : rowHeight(rows.front(), widths, body)));
  drawRow(header, bold, headerH, true, false);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double h = rowHeight(rows[r], widths, body);
    if (y_ + h > area_.bottom()) {
      newPage();
      drawRow(header, bold, headerH, true, false);
    }
    drawRow(rows[r], body, h, false, r % 2 == 1);
  }
  painter_.setPen(QPen(QColor(0xb0, 0xb8, 0xc4), mm(0.2)));
  painter_.drawLine(QPointF(area_.left(), y_), QPointF(area_.right(), y_));
  y_ += mm(3);
}

void ReportDocument::image(const QImage& img, double widthFraction) {
  if (img.isNull()) return;
  double w = widthFraction * area_.width();
  double h = w * img.height() / std::max(1, img.width());
  if (h > area_.height()) {  // taller than a page: shrink to fit
    w *= area_.height() / h;
    h = area_.height();
  }
  ensure(h);
  painter_.drawImage(QRectF(area_.left() + (area_.width() - w) / 2, y_, w, h), img);
  y_ += h + mm(3);
}

bool ReportDocument::finish() {
  if (!painter_.isActive()) return ok_;
  footer();
  ok_ = painter_.end() && ok_;
  return ok_;
}

}  // namespace ser
