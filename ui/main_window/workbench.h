#pragma once
// Puts the panels into the main window and routes between them, so MainWindow stays a shell:
//   dataset changed              -> Training panel's dataset
//   training finished            -> its run folder in Results and Misclassified
//   confusion cell clicked       -> Misclassified, filtered to that cell
//   File > Open run folder       -> a run (Results, Misclassified) or a study (Study tab)
//   study row activated          -> that run
//   File > Export report         -> PDF / CSV / JSON of the open run or study
//   any run or study opened      -> remembered in the run history (Runs tab, File > Recent runs)
//   Runs tab: Compare selected   -> the Compare tab
//   closing the window while a run trains -> asks first (Keep training / Stop and quit)
//   one ClipSelection            <- confusion cell, clip map rectangle; -> Misclassified list,
//                                   confusion outlines, clip map highlights
//   files dropped / Predict files -> the Predict tab (with the open run's model)
//   run opened                   -> its model in the Predict and Microphone tabs
#include <memory>
#include <QObject>

namespace ser {

class ClipMapPanel;
class ClipSelection;
class LiveMicPanel;
class MainWindow;
class PredictFilesPanel;
class MisclassifiedView;
class CompareView;
class ResultsPanel;
class RunsPanel;
class StudyTablePanel;
class TrainingPanel;
struct RunRecord;
struct StudyTable;

class Workbench : public QObject {
  Q_OBJECT
 public:
  // Installs the Training, Results and Misclassified tabs into `window` (which owns them and
  // this object).
  explicit Workbench(MainWindow* window);
  ~Workbench() override;

  // Opens a run folder or a study folder (`serwb reproduce`). Returns false, after telling the
  // user why, when it is neither or cannot be read.
  bool openFolder(const QString& dir);
  // Predicts files and folders in the Predict tab (with the open run's model) and shows it.
  void predictPaths(const QStringList& paths);
  // Shows "results", "clip-map", "misclassified", "predict" or "microphone"; false if unknown.
  bool showTab(const QString& name);

  TrainingPanel* training() const { return training_; }
  ResultsPanel* results() const { return results_; }
  MisclassifiedView* misclassified() const { return misclassified_; }
  StudyTablePanel* study() const { return study_; }  // null until a study is opened
  RunsPanel* runs() const { return runs_; }
  CompareView* compare() const { return compare_; }  // null until runs are compared
  ClipMapPanel* clipMap() const { return clipMap_; }  // the Results tab's "Clip map" page
  PredictFilesPanel* predictFiles() const { return predict_; }
  LiveMicPanel* microphone() const { return mic_; }
  ClipSelection* selection() const { return selection_; }
  const RunRecord* currentRun() const { return run_.get(); }
  const StudyTable* currentStudy() const { return studyTable_.get(); }

 public slots:
  void exportReport();
  // Loads the run folders, remembers them in the run history and shows them in the Compare tab.
  // False, after telling the user why, when fewer than two can be read.
  bool compareFolders(const QStringList& dirs);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void showRun(std::unique_ptr<RunRecord> run);
  void showStudy(std::unique_ptr<StudyTable> study);
  void reportError(const QString& message);
  void fillRecentRuns();

  MainWindow* window_;
  TrainingPanel* training_;
  ResultsPanel* results_;
  MisclassifiedView* misclassified_;
  RunsPanel* runs_;
  ClipSelection* selection_;
  ClipMapPanel* clipMap_;
  PredictFilesPanel* predict_;
  LiveMicPanel* mic_;
  StudyTablePanel* study_ = nullptr;  // created with the first study; the window owns it
  CompareView* compare_ = nullptr;    // created with the first comparison; the window owns it
  std::unique_ptr<RunRecord> run_;
  std::unique_ptr<StudyTable> studyTable_;
  bool studyIsCurrent_ = false;  // export the study rather than the run
};

}  // namespace ser
