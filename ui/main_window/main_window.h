#pragma once
// The application shell: menus, status bar and a tab per panel. Panels are self-contained widgets
// owned by their own folders; they plug in through setPanel() (named slots, fixed tab order),
// addPanel() (extra tabs) or addDockPanel(). The window itself only routes.
#include <array>
#include <memory>
#include <vector>
#include <QMainWindow>
#include <QPointer>

#include "core/corpus/corpus_spec.h"
#include "core/experiment/experiment.h"

class QAction;
class QLabel;
class QMenu;
class QTabWidget;

namespace ser {

class DatasetBrowser;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // Tab slots, in tab order. Dataset is filled by the window; the others by their panels' owners.
  enum class Panel { Dataset, Training, Results, Misclassified };

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Puts `widget` (ownership passes to the window) in its slot's tab, replacing an earlier one.
  void setPanel(Panel slot, QWidget* widget, const QString& title);
  QWidget* panel(Panel slot) const;
  void showPanel(Panel slot);
  void setCurrentPanel(QWidget* widget);  // any tab, including those from addPanel()
  // An extra tab after the slots; returns its index.
  int addPanel(QWidget* widget, const QString& title);
  QDockWidget* addDockPanel(QWidget* widget, const QString& title,
                            Qt::DockWidgetArea area = Qt::RightDockWidgetArea);

  DatasetBrowser* datasetBrowser() const { return browser_; }
  // File > Recent runs: empty here; the Workbench fills it from the run history.
  QMenu* recentRunsMenu() const { return recentRuns_; }

  // The current dataset: the experiment the wizard (or the command line) set up, of which the
  // dataset part (corpora, labels, split) counts, and the scanned clips.
  const Experiment& dataset() const { return dataset_; }
  std::shared_ptr<const Corpus> corpus() const { return corpus_; }
  void setDataset(const Experiment& dataset, std::shared_ptr<const Corpus> corpus);

  // Scans `specs` in the background and makes them the current dataset (Experiment's defaults
  // with core's default held-out speakers). When they are loaded the Dataset tab comes to the
  // front, unless another tab was chosen meanwhile (serwb-gui --show, --run, or the user).
  void openCorpora(const std::vector<CorpusSpec>& specs);
  // Writes the demo corpus into `dir` unless it is already there, then opens it (as openCorpora).
  void openDemoCorpus(const QString& dir);

 public slots:
  void newDataset();
  void openRunFolder();
  void makeDemoCorpus();
  void about();
  void setExportEnabled(bool enabled);  // File > Export report... (a run or study is open)
  void showStatus(const QString& message);

 signals:
  void datasetChanged();                        // dataset() and corpus() changed
  void runFolderRequested(const QString& dir);  // File > Open run folder; the results panels listen
  void exportReportRequested();                 // File > Export report...
  void predictFilesRequested();                 // File > Predict files...
  void filesDropped(const QStringList& paths);  // local files or folders dropped on the window

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createMenus();
  void loadCorpora(const std::vector<CorpusSpec>& specs, QPointer<QWidget> tabAtStart);

  QTabWidget* tabs_;
  DatasetBrowser* browser_;
  QLabel* datasetLabel_;
  QAction* exportAction_ = nullptr;
  QMenu* recentRuns_ = nullptr;
  std::array<QPointer<QWidget>, 4> slots_;
  Experiment dataset_;
  std::shared_ptr<const Corpus> corpus_;
};

}  // namespace ser
