#pragma once
// The Dataset tab: a filterable, sortable table of every clip (QTableView over ClipTableModel,
// fast for tens of thousands of rows) and a preview of the selected clip with playback.
// Space toggles playback while the browser has focus.
#include <memory>
#include <QWidget>

#include "core/corpus/clip.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace ser {

class ClipFilterProxy;
class ClipPreview;
class ClipTableModel;

class DatasetBrowser : public QWidget {
  Q_OBJECT
 public:
  explicit DatasetBrowser(QWidget* parent = nullptr);

  // Shows `corpus` (shared, read-only); nullptr empties the browser.
  void setCorpus(std::shared_ptr<const Corpus> corpus);
  std::shared_ptr<const Corpus> corpus() const;

  // Filters as the combos and the search box set them; empty = any.
  void setCorpusFilter(const QString& corpus);
  void setEmotionFilter(const QString& emotion);
  void setSexFilter(const QString& sex);
  void setSpeakerFilter(const QString& speaker);
  void setTextFilter(const QString& text);
  void clearFilters();

  void selectRow(int proxyRow);  // selects a visible row and loads its clip

  ClipTableModel* model() const { return model_; }
  ClipFilterProxy* proxy() const { return proxy_; }
  QTableView* tableView() const { return table_; }
  ClipPreview* preview() const { return preview_; }

 signals:
  void statusMessage(const QString& message);

 private:
  void fillFilterCombos();
  void updateCountLabel();
  void onCurrentRowChanged(const QModelIndex& current);

  ClipTableModel* model_;
  ClipFilterProxy* proxy_;
  QTableView* table_;
  ClipPreview* preview_;
  QComboBox* corpusCombo_;
  QComboBox* emotionCombo_;
  QComboBox* sexCombo_;
  QComboBox* speakerCombo_;
  QLineEdit* search_;
  QLabel* countLabel_;
  QLabel* summaryLabel_;
  QLabel* syntheticBadge_;
};

}  // namespace ser
