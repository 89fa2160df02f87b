#pragma once
// A flowing multi-page A4 document drawn with QPainter onto a QPdfWriter: headings, wrapped
// paragraphs, tables and images are placed top to bottom and move to a new page when they do not
// fit; every page gets a footer with the document title and its page number.
// Not thread-safe; one document per export.
#include <QColor>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

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
  // A boxed banner: white bold text on `background`, full width.
  void banner(const QString& text, QColor background);
  // A table; `widths` are fractions of the content width (summing to <= 1). The header repeats
  // on each page the table spans. Columns listed in `rightAligned` are right-aligned.
  void table(const QStringList& header, const std::vector<QStringList>& rows, const std::vector<double>& widths,
             const std::vector<int>& rightAligned = {}, double pointSize = 9);
  // An image scaled to `widthFraction` of the content width (keeping its aspect), centred.
  void image(const QImage& image, double widthFraction = 1.0);
  // Ends the document; returns false when the PDF could not be completed.
  bool finish();

 private:
  double mm(double v) const;
  void ensure(double height);  // starts a new page if `height` does not fit below the cursor
  void footer();
  double rowHeight(const QStringList& cells, const std::vector<double>& widths, const QFont& font) const;

  std::unique_ptr<QPdfWriter> writer_;
  QPainter painter_;
  QString title_;
  QRectF area_;   // content area of a page, device units
  double y_ = 0;  // cursor, device units from the top of the page
  int page_ = 1;
  bool ok_ = false;
};

}  // namespace ser
