#pragma once
// Wizard page 3: label set (native or common 6-class, with the calm/surprised policy) and split
// protocol: speaker-independent (held-out test and validation speakers, editable), k-fold,
// random (with a visible leakage warning) or cross-corpus (train on A, test on B).
//
// The page edits the dataset part of the wizard's ser::Experiment (labels, labelPolicy, split,
// trainCorpora, testCorpora) directly; its rules are core's: Experiment::validate() and
// experimentSplit() against the scanned clips, whose messages the page shows. Held-out speakers
// are proposed by core's policy (defaultHeldOut); hand edits are kept when the user goes Back and
// comes Next again.
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <QWizardPage>

#include "core/corpus/clip.h"
#include "core/corpus/label_set.h"
#include "core/experiment/experiment.h"

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace ser {

// The page's four split choices. A UI view of an Experiment, not a second model:
// CrossCorpus is a Speakers split with every speaker of the test corpora held out plus the
// train / test corpus filters; the other three are SplitSpec's protocols.
enum class SplitMode { HeldOutSpeakers, KFold, Random, CrossCorpus };
SplitMode splitModeOf(const Experiment& experiment);

// The warning the page shows for SplitMode::Random, word for word.
inline constexpr const char* kRandomSplitWarning =
    "A random split puts the same speakers in training and test; accuracy will be optimistic.";

class LabelSplitPage : public QWizardPage {
  Q_OBJECT
 public:
  // `experiment` (owned by the wizard, outliving the page) is edited in place; its corpora are
  // set by the wizard before this page opens.
  LabelSplitPage(std::function<std::shared_ptr<const Corpus>()> corpus, Experiment* experiment,
                 QWidget* parent = nullptr);

  void initializePage() override;  // lists the scanned speakers and corpora, keeping hand edits
  bool validatePage() override;    // core's verdict; its message is shown on the page

  // Writes the page's choices into `e` (labels, labelPolicy, split, trainCorpora, testCorpora).
  // The cross-corpus mode needs the scanned clips to list the test corpora's speakers.
  void applyTo(Experiment& e) const;
  // Why the current choices cannot run on the scanned clips ("" when they can).
  QString problem() const;

  void setLabelSet(LabelSetKind labels);
  void setPolicy(CommonLabelPolicy policy);
  void setMode(SplitMode mode);
  void setTestSpeakers(const std::vector<std::string>& ids);  // the rest keep their roles
  void setValidationSpeakers(const std::vector<std::string>& ids);
  void proposeHeldOut();  // core's default held-out speakers for the current labels and seed
  std::vector<std::string> testSpeakers() const;
  std::vector<std::string> validationSpeakers() const;

  QLabel* randomWarning() const { return randomWarning_; }
  QTableWidget* speakerTable() const { return speakers_; }
  QSpinBox* foldsSpin() const { return folds_; }
  QLabel* errorLabel() const { return error_; }

 private:
  void changed();  // writes the choices into the experiment and refreshes the notes
  void rebuildSpeakerTable();
  void updateLabelInfo();
  void updateSpeakerInfo();
  std::vector<std::string> checkedSpeakers(int column) const;
  std::vector<std::string> checkedCorpora(const QListWidget* list) const;

  std::function<std::shared_ptr<const Corpus>()> corpus_;
  Experiment* experiment_;
  QButtonGroup* labelGroup_;
  QComboBox* policy_;
  QLabel* labelInfo_;
  QComboBox* protocol_;
  QStackedWidget* stack_;
  QTableWidget* speakers_;
  QLabel* speakerInfo_;
  QSpinBox* folds_;
  QDoubleSpinBox* testFraction_;
  QDoubleSpinBox* validationFraction_;
  QLabel* randomWarning_;
  QListWidget* trainCorpora_;
  QListWidget* testCorpora_;
  QLabel* crossInfo_;
  QLabel* error_;
  bool updating_ = false;  // set while the page fills its widgets (no write-back)
};

}  // namespace ser
