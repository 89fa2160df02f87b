#pragma once
// A scatter plot of clips in the plane (the clip map): one dot per clip, coloured by a category
// (emotion, speaker, sex, ...), with a legend. Hovering a dot shows its tooltip; clicking one
// emits pointClicked; dragging a rectangle emits rectangleSelected with the dots inside (an empty
// click clears). Highlighted dots are drawn over the faded rest.
#include <QPointF>
#include <QStringList>
#include <QWidget>
#include <vector>

namespace ser {

class ClipMapView : public QWidget {
  Q_OBJECT
 public:
  explicit ClipMapView(QWidget* parent = nullptr);

  // Data coordinates, one category index per point (into `names`), one tooltip per point.
  void setPoints(const std::vector<QPointF>& points, const std::vector<int>& categories,
                 const QStringList& names, const QStringList& tooltips);
  // Recolours without moving the points.
  void setCategories(const std::vector<int>& categories, const QStringList& names);
  // One flag per point; all false (or an empty vector) = no highlight.
  void setHighlighted(const std::vector<bool>& flags);
  void clear();

  int pointCount() const { return int(points_.size()); }
  int category(int i) const { return categories_[std::size_t(i)]; }
  bool isHighlighted(int i) const;
  QPointF widgetPos(int i) const;               // where point i is drawn
  int pointAt(const QPoint& pos, int radius = 6) const;  // nearest within radius, or -1
  std::vector<int> pointsIn(const QRect& widgetRect) const;
  QRect plotRect() const;
  static QColor categoryColor(int category, int count);

  QSize sizeHint() const override { return {640, 480}; }
  QSize minimumSizeHint() const override { return {240, 180}; }

 signals:
  void pointClicked(int index);
  void pointHovered(int index);  // -1 when the mouse leaves every point
  void rectangleSelected(const std::vector<int>& indices);

 protected:
  void paintEvent(QPaintEvent*) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent*) override;

 private:
  void updateRange();

  std::vector<QPointF> points_;
  std::vector<int> categories_;
  QStringList names_;
  QStringList tooltips_;
  std::vector<bool> highlighted_;
  bool anyHighlighted_ = false;
  double minX_ = 0, maxX_ = 1, minY_ = 0, maxY_ = 1;
  QPoint pressPos_;
  QRect band_;
  bool pressed_ = false, dragging_ = false;
  int hover_ = -1;
};

}  // namespace ser
