#pragma once
// The Runs panel: the run history (every run and study folder trained or opened), sortable by any
// column and filtered by a text box over every column. Open a row (double-click or Open), compare
// two or more selected runs (Compare), or remove rows (Remove; Remove missing for every folder
// that has been moved or deleted). A history that cannot be opened shows why; nothing crashes.
#include <memory>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace ser {

class RunHistory;
class RunHistoryModel;
struct RunRecord;
struct StudyTable;

class RunsPanel : public QWidget {
  Q_OBJECT
 public:
  // `databaseFile`: the history's SQLite file; empty: RunHistory::defaultFile().
  explicit RunsPanel(const QString& databaseFile = QString(), QWidget* parent = nullptr);
  ~RunsPanel() override;

  RunHistory* history() const { return history_.get(); }
  RunHistoryModel* model() const { return model_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }
  QTableView* view() const { return view_; }
  QLineEdit* filterEdit() const { return filter_; }
  QPushButton* compareButton() const { return compare_; }

  // Adds or refreshes a folder in the history and the list.
  void remember(const RunRecord& run);
  void remember(const StudyTable& study);
  // Paths of the selected rows, in the order shown.
  QStringList selectedPaths() const;
  // Selects the rows of `paths` (the others are deselected).
  void selectPaths(const QStringList& paths);

 public slots:
  void refresh();                 // re-reads the history (and which folders still exist)
  void openSelected();
  void compareSelected();
  void removeSelected();
  void removeMissing();

 signals:
  void openRequested(const QString& path);
  void compareRequested(const QStringList& runPaths);  // two or more existing run folders
  void statusMessage(const QString& message);

 private:
  void updateButtons();

  std::unique_ptr<RunHistory> history_;
  RunHistoryModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* view_;
  QLineEdit* filter_;
  QLabel* note_;
  QPushButton* open_;
  QPushButton* compare_;
  QPushButton* remove_;
  QPushButton* removeMissing_;
};

}  // namespace ser
