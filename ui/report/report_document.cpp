#include "ui/report/report_document.h"

#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QRegularExpression>
#include <QTextOption>
#include <algorithm>

#include "ui/common/view_export.h"

namespace ser {
namespace {

constexpr int kResolution = 300;  // dpi of the PDF's device units
constexpr double kA4WidthMm = 210.0, kA4HeightMm = 297.0;

QFont makeFont(double pointSize, bool bold = false) {
  QFont f(QStringLiteral("DejaVu Sans"));
  f.setStyleHint(QFont::SansSerif);
  f.setPointSizeF(pointSize);
  f.setBold(bold);
  return f;
}

QTextOption wrapOption(Qt::Alignment align) {
  QTextOption o(align);
  o.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  return o;
}

}  // namespace

ReportDocument::ReportDocument(const QString& pdfPath, const QString& title)
    : writer_(std::make_unique<QPdfWriter>(pdfPath)) {
  open(title, kA4HeightMm);
}

ReportDocument::ReportDocument(double pageHeightMm) {
  scratch_.open(QIODevice::WriteOnly);
  writer_ = std::make_unique<QPdfWriter>(&scratch_);
  open(QString(), pageHeightMm);
}

void ReportDocument::open(const QString& title, double pageHeightMm) {
  title_ = title;
  writer_->setResolution(kResolution);
  writer_->setPageSize(pageHeightMm == kA4HeightMm
                           ? QPageSize(QPageSize::A4)
                           : QPageSize(QSizeF(kA4WidthMm, pageHeightMm), QPageSize::Millimeter));
  writer_->setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter);
  writer_->setTitle(title);
  writer_->setCreator(QStringLiteral("SER Workbench"));
  ok_ = painter_.begin(writer_.get());
  if (!ok_) return;
  painter_.setRenderHint(QPainter::Antialiasing);
  painter_.setRenderHint(QPainter::SmoothPixmapTransform);
  const double w = writer_->width(), h = writer_->height();
  area_ = QRectF(mm(18), mm(18), w - mm(36), h - mm(18) - mm(22));
  nominalWidth_ = area_.width();
  y_ = area_.top();
}

ReportDocument::~ReportDocument() {
  if (painter_.isActive()) finish();
}

double ReportDocument::mm(double v) const { return v * kResolution / 25.4; }

double ReportDocument::cursorMm() const { return y_ * 25.4 / kResolution; }

void ReportDocument::footer() {
  if (title_.isEmpty()) return;
  painter_.save();
  painter_.setFont(makeFont(8));
  painter_.setPen(QColor(0x70, 0x70, 0x70));
  const QRectF foot(area_.left(), area_.bottom() + mm(6), area_.width(), mm(8));
  painter_.drawLine(QPointF(foot.left(), foot.top()), QPointF(foot.right(), foot.top()));
  const QString page = QObject::tr("Page %1").arg(page_);
  const double pageW = QFontMetricsF(painter_.font(), writer_.get()).horizontalAdvance(page) + mm(4);
  drawText(QRectF(foot.left(), foot.top() + mm(1.5), foot.width() - pageW, foot.height()), title_, Qt::AlignLeft);
  painter_.drawText(foot, Qt::AlignRight | Qt::AlignVCenter, page);
  painter_.restore();
}

void ReportDocument::newPage() {
  footer();
  writer_->newPage();
  ++page_;
  y_ = area_.top();
}

void ReportDocument::ensure(double height) {
  if (noBreaks_) return;
  if (y_ + height > area_.bottom() && y_ > area_.top()) newPage();
}

void ReportDocument::vspace(double v) { y_ += mm(v); }

QRectF ReportDocument::textRect(const QRectF& box, const QString& text, Qt::Alignment align) {
  return painter_.boundingRect(QRectF(box.left(), box.top(), box.width(), 1e6), text,
                               wrapOption(align | Qt::AlignTop));
}

void ReportDocument::drawText(const QRectF& box, const QString& text, Qt::Alignment align) {
  const QRectF r = textRect(box, text, align);
  // The box is as tall as the wrapped text, so nothing is cut at its bottom either.
  painter_.drawText(QRectF(box.left(), box.top(), box.width(), std::max(box.height(), r.height())), text,
                    wrapOption(align | Qt::AlignTop));
}

void ReportDocument::title(const QString& text, double pointSize, QColor color, bool centered) {
  painter_.setFont(makeFont(pointSize, true));
  painter_.setPen(color);
  const Qt::Alignment align = centered ? Qt::AlignHCenter : Qt::AlignLeft;
  const QRectF r = textRect(QRectF(area_.left(), 0, area_.width(), 0), text, align);
  ensure(r.height());
  drawText(QRectF(area_.left(), y_, area_.width(), r.height()), text, align);
  y_ += r.height() + mm(2);
}

double ReportDocument::imageHeightMm(const QImage& img, double widthFraction) const {
  if (img.isNull()) return 0;
  const double h = widthFraction * nominalWidth_ * img.height() / std::max(1, img.width());
  return std::min(h, area_.height()) * 25.4 / kResolution + 3;
}

void ReportDocument::heading(const QString& text, double keepWithNextMm) {
  ensure(mm(18 + keepWithNextMm));
  vspace(3);
  painter_.setFont(makeFont(15, true));
  painter_.setPen(QColor(0x1f, 0x3a, 0x5f));
  const QRectF r = textRect(QRectF(area_.left(), 0, area_.width(), 0), text, Qt::AlignLeft);
  drawText(QRectF(area_.left(), y_, area_.width(), r.height()), text, Qt::AlignLeft);
  y_ += r.height() + mm(1);
  painter_.setPen(QPen(QColor(0x1f, 0x3a, 0x5f), mm(0.4)));
  painter_.drawLine(QPointF(area_.left(), y_), QPointF(area_.right(), y_));
  y_ += mm(3);
}

void ReportDocument::subheading(const QString& text, double keepWithNextMm) {
  ensure(mm(10 + keepWithNextMm));
  vspace(1.5);
  painter_.setFont(makeFont(11.5, true));
  painter_.setPen(QColor(0x1f, 0x3a, 0x5f));
  const QRectF r = textRect(QRectF(area_.left(), 0, area_.width(), 0), text, Qt::AlignLeft);
  drawText(QRectF(area_.left(), y_, area_.width(), r.height()), text, Qt::AlignLeft);
  y_ += r.height() + mm(1.5);
}

void ReportDocument::paragraph(const QString& text, QColor color, bool bold, double pointSize) {
  painter_.setFont(makeFont(pointSize, bold));
  painter_.setPen(color);
  const QRectF r = textRect(QRectF(area_.left(), 0, area_.width(), 0), text, Qt::AlignLeft);
  ensure(r.height());
  drawText(QRectF(area_.left(), y_, area_.width(), r.height()), text, Qt::AlignLeft);
  y_ += r.height() + mm(1.5);
}

void ReportDocument::preformatted(const QString& text, double pointSize) {
  QFont mono(QStringLiteral("DejaVu Sans Mono"));
  mono.setStyleHint(QFont::Monospace);
  mono.setPointSizeF(pointSize);
  painter_.setFont(mono);
  painter_.setPen(QColor(0x20, 0x20, 0x20));
  // Line by line, so the text flows across pages; a line wider than the page wraps anywhere.
  for (const QString& line : text.split(QLatin1Char('\n'))) {
    const QString shown = line.isEmpty() ? QStringLiteral(" ") : line;
    const QRectF r = textRect(QRectF(area_.left(), 0, area_.width(), 0), shown, Qt::AlignLeft);
    ensure(r.height());
    painter_.setFont(mono);
    painter_.setPen(QColor(0x20, 0x20, 0x20));
    drawText(QRectF(area_.left(), y_, area_.width(), r.height()), shown, Qt::AlignLeft);
    y_ += r.height();
  }
  y_ += mm(2);
}

void ReportDocument::banner(const QString& text, QColor background) {
  painter_.setFont(makeFont(10.5, true));
  const double pad = mm(2.5);
  const QRectF r = textRect(QRectF(area_.left() + pad, 0, area_.width() - 2 * pad, 0), text, Qt::AlignLeft);
  const double h = r.height() + 2 * pad;
  ensure(h);
  painter_.setPen(Qt::NoPen);
  painter_.setBrush(background);
  painter_.drawRoundedRect(QRectF(area_.left(), y_, area_.width(), h), mm(1), mm(1));
  painter_.setBrush(Qt::NoBrush);
  painter_.setPen(Qt::white);
  drawText(QRectF(area_.left() + pad, y_ + pad, area_.width() - 2 * pad, r.height()), text, Qt::AlignLeft);
  y_ += h + mm(2);
}

void ReportDocument::headlines(const std::vector<Headline>& items) {
  if (items.empty()) return;
  const double gap = mm(3), pad = mm(2.5);
  const double w = (area_.width() - gap * double(items.size() - 1)) / double(items.size());
  const QFont caption = makeFont(8.5), value = makeFont(20, true), detail = makeFont(8.5);
  double h = 0;
  for (const auto& it : items) {
    double ih = 0;
    painter_.setFont(caption);
    ih += textRect(QRectF(0, 0, w - 2 * pad, 0), it.caption, Qt::AlignLeft).height();
    painter_.setFont(value);
    ih += textRect(QRectF(0, 0, w - 2 * pad, 0), it.value, Qt::AlignLeft).height();
    painter_.setFont(detail);
    ih += textRect(QRectF(0, 0, w - 2 * pad, 0), it.detail, Qt::AlignLeft).height();
    h = std::max(h, ih + 2 * pad);
  }
  ensure(h);
  double x = area_.left();
  for (const auto& it : items) {
    painter_.setPen(QPen(QColor(0xb0, 0xb8, 0xc4), mm(0.25)));
    painter_.setBrush(QColor(0xf5, 0xf7, 0xfa));
    painter_.drawRoundedRect(QRectF(x, y_, w, h), mm(1.2), mm(1.2));
    painter_.setBrush(Qt::NoBrush);
    double ty = y_ + pad;
    const QRectF box(x + pad, 0, w - 2 * pad, 0);
    auto put = [&](const QFont& f, QColor c, const QString& text) {
      painter_.setFont(f);
      painter_.setPen(c);
      const double th = textRect(box, text, Qt::AlignLeft).height();
      drawText(QRectF(box.left(), ty, box.width(), th), text, Qt::AlignLeft);
      ty += th;
    };
    put(caption, QColor(0x50, 0x50, 0x50), it.caption);
    put(value, QColor(0x1f, 0x3a, 0x5f), it.value);
    put(detail, QColor(0x30, 0x30, 0x30), it.detail);
    x += w + gap;
  }
  y_ += h + mm(3);
}

namespace {

// The font of a cell whose words must stay whole: `base` shrunk until its widest word fits.
QFont wholeWordFont(const QFont& base, const QString& text, double width, QPaintDevice* device) {
  QFont f = base;
  static const QRegularExpression space(QStringLiteral("\\s+"));
  for (int i = 0; i < 12; ++i) {
    const QFontMetricsF fm(f, device);
    double widest = 0;
    for (const QString& word : text.split(space, Qt::SkipEmptyParts)) widest = std::max(widest, fm.horizontalAdvance(word));
    if (widest <= width) break;
    f.setPointSizeF(std::max(4.0, f.pointSizeF() * std::max(0.5, width / widest * 0.98)));
    if (f.pointSizeF() <= 4.0) break;
  }
  return f;
}

}  // namespace

double ReportDocument::rowHeight(const QStringList& cells, const std::vector<double>& widths, const QFont& font) {
  double h = QFontMetricsF(font, writer_.get()).height();
  for (int c = 0; c < cells.size() && c < static_cast<int>(widths.size()); ++c) {
    painter_.setFont(font);
    const QRectF r = textRect(QRectF(0, 0, widths[c] * area_.width() - mm(2), 0), cells[c], Qt::AlignLeft);
    h = std::max(h, r.height());
  }
  return h + mm(1.6);
}

void ReportDocument::table(const QStringList& header, const std::vector<QStringList>& rows,
                           const std::vector<double>& widths, const std::vector<int>& rightAligned,
                           double pointSize, const std::vector<int>& whole) {
  const QFont body = makeFont(pointSize), bold = makeFont(pointSize, true);
  auto isWhole = [&](int c) { return std::find(whole.begin(), whole.end(), c) != whole.end(); };
  // Per cell: its font (shrunk for whole-word columns) and the row height they need.
  auto fontsOf = [&](const QStringList& cells, const QFont& base) {
    std::vector<QFont> fonts;
    for (int c = 0; c < cells.size() && c < static_cast<int>(widths.size()); ++c)
      fonts.push_back(isWhole(c) ? wholeWordFont(base, cells[c], widths[c] * area_.width() - mm(2), writer_.get())
                                 : base);
    return fonts;
  };
  auto heightOf = [&](const QStringList& cells, const std::vector<QFont>& fonts) {
    double h = QFontMetricsF(fonts.empty() ? body : fonts.front(), writer_.get()).height();
    for (std::size_t c = 0; c < fonts.size(); ++c) {
      painter_.setFont(fonts[c]);
      h = std::max(h, textRect(QRectF(0, 0, widths[c] * area_.width() - mm(2), 0), cells[int(c)], Qt::AlignLeft).height());
    }
    return h + mm(1.6);
  };
  auto drawRow = [&](const QStringList& cells, const std::vector<QFont>& fonts, double h, bool isHeader, bool shaded) {
    if (isHeader || shaded) {
      painter_.fillRect(QRectF(area_.left(), y_, area_.width(), h),
                        isHeader ? QColor(0xdf, 0xe6, 0xee) : QColor(0xf5, 0xf7, 0xfa));
    }
    painter_.setPen(Qt::black);
    double x = area_.left();
    for (std::size_t c = 0; c < fonts.size(); ++c) {
      const double w = widths[c] * area_.width();
      const bool right = std::find(rightAligned.begin(), rightAligned.end(), int(c)) != rightAligned.end();
      painter_.setFont(fonts[c]);
      drawText(QRectF(x + mm(1), y_ + mm(0.8), w - mm(2), h - mm(1.6)), cells[int(c)],
               right ? Qt::AlignRight : Qt::AlignLeft);
      x += w;
    }
    y_ += h;
  };
  const std::vector<QFont> headerFonts = fontsOf(header, bold);
  const double headerH = heightOf(header, headerFonts);
  double firstH = 0;
  if (!rows.empty()) firstH = heightOf(rows.front(), fontsOf(rows.front(), body));
  ensure(headerH + firstH);
  drawRow(header, headerFonts, headerH, true, false);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::vector<QFont> fonts = fontsOf(rows[r], body);
    const double h = heightOf(rows[r], fonts);
    if (!noBreaks_ && y_ + h > area_.bottom()) {
      newPage();
      drawRow(header, headerFonts, headerH, true, false);
    }
    drawRow(rows[r], fonts, h, false, r % 2 == 1);
  }
  painter_.setPen(QPen(QColor(0xb0, 0xb8, 0xc4), mm(0.2)));
  painter_.drawLine(QPointF(area_.left(), y_), QPointF(area_.right(), y_));
  y_ += mm(3);
}

void ReportDocument::image(const QImage& img, double widthFraction) {
  if (img.isNull()) return;
  double w = widthFraction * nominalWidth_;
  double h = w * img.height() / std::max(1, img.width());
  if (h > area_.height()) {  // taller than a page: shrink to fit
    w *= area_.height() / h;
    h = area_.height();
  }
  ensure(h);
  painter_.drawImage(QRectF(area_.left() + (area_.width() - w) / 2, y_, w, h), img);
  y_ += h + mm(3);
}

double ReportDocument::figuresHeightMm(const std::vector<Figure>& row) const {
  double h = 0;
  for (const Figure& f : row)
    h = std::max(h, f.widthFraction * nominalWidth_ * f.layout.height() / std::max(1, f.layout.width()));
  return std::min(h, area_.height()) * 25.4 / kResolution + 3;
}

void ReportDocument::figures(const std::vector<Figure>& row) {
  if (row.empty()) return;
  double total = 0, h = 0;
  for (const Figure& f : row) {
    const double w = f.widthFraction * nominalWidth_;
    total += w;
    h = std::max(h, w * f.layout.height() / std::max(1, f.layout.width()));
  }
  const double shrink = h > area_.height() ? area_.height() / h : 1.0;  // taller than a page
  h *= shrink;
  total *= shrink;
  ensure(h);
  const double gap = row.size() > 1 ? std::max(0.0, (area_.width() - total) / double(row.size() + 1)) : 0.0;
  double x = area_.left() + (row.size() > 1 ? gap : (area_.width() - total) / 2);
  for (const Figure& f : row) {
    const double w = f.widthFraction * nominalWidth_ * shrink;
    const double fh = w * f.layout.height() / std::max(1, f.layout.width());
    paintView(painter_, f.view, f.layout, QRectF(x, y_, w, fh));
    x += w + gap;
  }
  y_ += h + mm(3);
}

double ReportDocument::fitOnPage(const std::function<void(ReportDocument&)>& block, double minScale) {
  // Measure on a scratch page as wide as ours and tall enough for anything a block holds.
  double needed = 0;
  {
    ReportDocument scratch(2000.0);
    if (scratch.ok()) {
      const double top = scratch.y_;
      scratch.noBreaks_ = true;
      block(scratch);
      needed = scratch.y_ - top;
      scratch.finish();
    }
  }
  double available = area_.bottom() - y_;
  if (needed > available && available / needed < minScale && y_ > area_.top()) {
    newPage();
    available = area_.bottom() - y_;
  }
  const double scale = needed > available && needed > 0 ? available / needed : 1.0;
  const QRectF area = area_;
  const double y = y_;
  painter_.save();
  painter_.scale(scale, scale);
  area_ = QRectF(area.left() / scale, area.top() / scale, area.width() / scale, area.height() / scale);
  y_ = y / scale;
  const bool breaks = noBreaks_;
  noBreaks_ = true;
  block(*this);
  noBreaks_ = breaks;
  const double end = y_ * scale;
  painter_.restore();
  area_ = area;
  y_ = end;
  return scale;
}

bool ReportDocument::finish() {
  if (!painter_.isActive()) return ok_;
  footer();
  ok_ = painter_.end() && ok_;
  return ok_;
}

}  // namespace ser
