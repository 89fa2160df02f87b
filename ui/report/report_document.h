#pragma once
// A flowing multi-page A4 document drawn with QPainter onto a QPdfWriter: headings, wrapped
// paragraphs, tables, figures and images are placed top to bottom and move to a new page when they
// do not fit; every page gets a footer with the document title and its page number.
// Text is never clipped: it wraps at word boundaries, and inside a word (a long path) only when
// the word alone is wider than its box; table columns listed as "whole" shrink their font until
// their widest word fits instead. Figures (views) are drawn as vectors (ui/common/view_export.h).
// Not thread-safe; one document per export.
#include <QBuffer>
#include <QColor>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

class QWidget;

namespace ser {

class ReportDocument {
 public:
  // Opens `pdfPath` for writing. ok() is false when the file cannot be created.
  ReportDocument(const QString& pdfPath, const QString& title);
  ~ReportDocument();
  ReportDocument(const ReportDocument&) = delete;
  ReportDocument& operator=(const ReportDocument&) = delete;

  bool ok() const { return ok_; }
  int pageCount() const { return page_; }
  double contentWidth() const { return area_.width(); }
  double cursorMm() const;  // the cursor's distance from the top of the page

  void newPage();
  void vspace(double mm);
  void title(const QString& text, double pointSize, QColor color = Qt::black, bool centered = true);
  // Section headings; the heading moves to a new page unless `keepWithNextMm` of what follows
  // fits below it, so a heading never sits alone at the bottom of a page.
  void heading(const QString& text, double keepWithNextMm = 30);
  void subheading(const QString& text, double keepWithNextMm = 20);
  // Height an image() of this image would take, in millimetres.
  double imageHeightMm(const QImage& image, double widthFraction = 1.0) const;
  void paragraph(const QString& text, QColor color = Qt::black, bool bold = false, double pointSize = 10);
  // Preformatted text (the configuration appendix): monospace, line breaks kept, long lines
  // wrapped anywhere; flows across pages.
  void preformatted(const QString& text, double pointSize = 7.5);
  // A boxed banner: white bold text on `background`, full width.
  void banner(const QString& text, QColor background);
  // Headline figures side by side: each box shows a caption, a large value and a detail line.
  struct Headline {
    QString caption;  // "Unweighted average recall (UAR)"
    QString value;    // "75.0%"
    QString detail;   // "95% CI 57.3 to 91.2"
  };
  void headlines(const std::vector<Headline>& items);
  // A table; `widths` are fractions of the content width (summing to <= 1). The header repeats
  // on each page the table spans. Columns listed in `rightAligned` are right-aligned; columns in
  // `whole` never break a word (their font shrinks until the widest word fits).
  void table(const QStringList& header, const std::vector<QStringList>& rows, const std::vector<double>& widths,
             const std::vector<int>& rightAligned = {}, double pointSize = 9, const std::vector<int>& whole = {});
  // An image scaled to `widthFraction` of the content width (keeping its aspect), centred.
  void image(const QImage& image, double widthFraction = 1.0);
  // Views side by side as vectors: each is laid out at its `layout` size (logical pixels) and
  // scaled to `widthFraction` of the content width; the row is as tall as its tallest figure.
  struct Figure {
    QWidget* view;
    QSize layout;
    double widthFraction;
  };
  void figures(const std::vector<Figure>& row);
  // Height figures() of this row would take, in millimetres.
  double figuresHeightMm(const std::vector<Figure>& row) const;
  // Draws `block` on the rest of the current page, shrunk uniformly when it would not fit there
  // (measured first on a scratch document). A block that needs less than `minScale` starts a
  // new page first. Returns the scale used (1 = natural size).
  double fitOnPage(const std::function<void(ReportDocument&)>& block, double minScale = 0.75);
  // Ends the document; returns false when the PDF could not be completed.
  bool finish();

 private:
  explicit ReportDocument(double pageHeightMm);  // a scratch document in memory, for measuring
  void open(const QString& title, double pageHeightMm);
  double mm(double v) const;
  void ensure(double height);  // starts a new page if `height` does not fit below the cursor
  void footer();
  double rowHeight(const QStringList& cells, const std::vector<double>& widths, const QFont& font);
  QRectF textRect(const QRectF& box, const QString& text, Qt::Alignment align);
  void drawText(const QRectF& box, const QString& text, Qt::Alignment align);

  QBuffer scratch_;
  std::unique_ptr<QPdfWriter> writer_;
  QPainter painter_;
  QString title_;
  QRectF area_;   // content area of a page, device units (scaled while fitOnPage shrinks a block)
  double nominalWidth_ = 0;  // the content width figures scale to, unaffected by fitOnPage
  double y_ = 0;  // cursor, device units from the top of the page
  int page_ = 1;
  bool ok_ = false;
  bool noBreaks_ = false;  // inside fitOnPage: the block was measured to fit
};

}  // namespace ser
