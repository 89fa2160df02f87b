#pragma once
// Wizard page 3: label set (native or common 6-class, with the calm/surprised policy) and split
// protocol: speaker-independent (held-out test and validation speakers, editable), k-fold,
// random (with a visible leakage warning) or cross-corpus (train on A, test on B).
#include <functional>
#include <memory>
#include <QWizardPage>

#include "ui/dataset/dataset_selection.h"

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace ser {

class LabelSplitPage : public QWizardPage {
  Q_OBJECT
 public:
  explicit LabelSplitPage(std::function<std::shared_ptr<const Corpus>()> corpus,
                          QWidget* parent = nullptr);

  void initializePage() override;  // lists the scanned speakers and corpora
  bool validatePage() override;    // shows ParameterError messages on the page

  // The page's choices (corpora are filled in by DatasetWizard).
  LabelSetChoice labelSet() const;
  CommonLabelPolicy policy() const;
  SplitChoice split() const;

  void setLabelSet(LabelSetChoice choice);
  void setPolicy(CommonLabelPolicy policy);
  void setProtocol(SplitChoiceProtocol protocol);
  void setTestSpeakers(const std::vector<std::string>& ids);  // the rest keep their roles
  QLabel* randomWarning() const { return randomWarning_; }
  QTableWidget* speakerTable() const { return speakers_; }

 private:
  void updateLabelInfo();
  void updateSpeakerInfo();
  std::vector<std::string> checkedSpeakers(int column) const;

  std::function<std::shared_ptr<const Corpus>()> corpus_;
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
};

}  // namespace ser
