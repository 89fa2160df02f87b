#include "ui/dataset/label_split_page.h"

#include <algorithm>
#include <map>
#include <set>
#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "core/base/error.h"

namespace ser {
namespace {

enum SpeakerColumn { IdCol, SexCol, ClipsCol, TestCol, ValidationCol };

QLabel* note(const QString& text, QWidget* parent) {
  auto* l = new QLabel(text, parent);
  l->setWordWrap(true);
  l->setStyleSheet(QStringLiteral("color: palette(dark);"));
  return l;
}

}  // namespace

SplitMode splitModeOf(const Experiment& e) {
  if (!e.testCorpora.empty()) return SplitMode::CrossCorpus;
  switch (e.split.protocol) {
    case SplitProtocol::Speakers: return SplitMode::HeldOutSpeakers;
    case SplitProtocol::KFold: return SplitMode::KFold;
    case SplitProtocol::Random: return SplitMode::Random;
  }
  return SplitMode::HeldOutSpeakers;
}

LabelSplitPage::LabelSplitPage(std::function<std::shared_ptr<const Corpus>()> corpus,
                               Experiment* experiment, QWidget* parent)
    : QWizardPage(parent), corpus_(std::move(corpus)), experiment_(experiment),
      labelGroup_(new QButtonGroup(this)),
      policy_(new QComboBox(this)), labelInfo_(new QLabel(this)), protocol_(new QComboBox(this)),
      stack_(new QStackedWidget(this)), speakers_(new QTableWidget(0, 5, this)),
      speakerInfo_(new QLabel(this)), folds_(new QSpinBox(this)),
      testFraction_(new QDoubleSpinBox(this)), validationFraction_(new QDoubleSpinBox(this)),
      randomWarning_(new QLabel(QString::fromLatin1(kRandomSplitWarning), this)),
      trainCorpora_(new QListWidget(this)), testCorpora_(new QListWidget(this)),
      crossInfo_(new QLabel(this)), error_(new QLabel(this)) {
  setTitle(tr("Labels and split"));
  setSubTitle(tr("Choose the label set and how clips are divided into training, validation and test."));

  // Labels: the corpora's own by default (Experiment's default, as `serwb train`).
  auto* native = new QRadioButton(tr("Native labels of each corpus"), this);
  auto* common = new QRadioButton(tr("Common 6-class set (neutral, happy, sad, angry, fearful, disgust): "
                                     "for cross-corpus work"), this);
  labelGroup_->addButton(native, int(LabelSetKind::Native));
  labelGroup_->addButton(common, int(LabelSetKind::Common6));
  policy_->addItem(tr("Drop calm and surprised"), int(CommonLabelPolicy::Drop));
  policy_->addItem(tr("Map calm to neutral; drop surprised"), int(CommonLabelPolicy::CalmToNeutral));
  labelInfo_->setStyleSheet(QStringLiteral("color: palette(dark);"));
  auto* labelsBox = new QGroupBox(tr("Labels"), this);
  auto* labelsLayout = new QVBoxLayout(labelsBox);
  labelsLayout->addWidget(native);
  labelsLayout->addWidget(common);
  auto* policyRow = new QHBoxLayout;
  policyRow->addSpacing(24);
  policyRow->addWidget(new QLabel(tr("RAVDESS calm / surprised:"), this));
  policyRow->addWidget(policy_);
  policyRow->addStretch(1);
  labelsLayout->addLayout(policyRow);
  labelsLayout->addWidget(labelInfo_);

  // Split modes, in SplitMode order (the stack's page order).
  protocol_->addItem(tr("Speaker-independent (held-out speakers)"), int(SplitMode::HeldOutSpeakers));
  protocol_->addItem(tr("k-fold cross-validation by speaker"), int(SplitMode::KFold));
  protocol_->addItem(tr("Random clip split"), int(SplitMode::Random));
  protocol_->addItem(tr("Cross-corpus (train on A, test on B)"), int(SplitMode::CrossCorpus));

  // Speaker-independent.
  speakers_->setHorizontalHeaderLabels({tr("Speaker"), tr("Sex"), tr("Clips"), tr("Test"), tr("Validation")});
  speakers_->verticalHeader()->setVisible(false);
  speakers_->verticalHeader()->setDefaultSectionSize(speakers_->fontMetrics().height() + 6);
  speakers_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  speakers_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  speakers_->setSelectionMode(QAbstractItemView::NoSelection);
  auto* propose = new QPushButton(tr("Propose default"), this);
  auto* siPage = new QWidget(this);
  auto* siLayout = new QVBoxLayout(siPage);
  siLayout->setContentsMargins(0, 0, 0, 0);
  siLayout->addWidget(note(tr("Tick the speakers held out for test and for validation; all other "
                              "speakers train. No speaker is in two sets. The proposal is what serwb train "
                              "chooses by itself: per corpus, sex-balanced and seeded, about 20% test "
                              "and 10% validation (a full RAVDESS: actors 21-24 test, 19-20 validation)."),
                           this));
  siLayout->addWidget(speakers_, 1);
  auto* siBottom = new QHBoxLayout;
  siBottom->addWidget(speakerInfo_, 1);
  siBottom->addWidget(propose);
  siLayout->addLayout(siBottom);

  // k-fold.
  folds_->setRange(2, 99);  // core refuses k above the number of speakers, on this page
  auto* kPage = new QWidget(this);
  auto* kLayout = new QFormLayout(kPage);
  kLayout->addRow(tr("Folds (k):"), folds_);
  kLayout->addRow(note(tr("Folds are grouped by speaker: no speaker appears in two folds. Each "
                          "fold is the test set once."), this));

  // Random.
  testFraction_->setRange(5, 50);
  testFraction_->setSuffix(QStringLiteral(" %"));
  validationFraction_->setRange(0, 40);
  validationFraction_->setSuffix(QStringLiteral(" %"));
  randomWarning_->setWordWrap(true);
  randomWarning_->setStyleSheet(QStringLiteral(
      "QLabel { background: #fdecea; color: #8a1c12; border: 1px solid #e8a39b;"
      " border-radius: 3px; padding: 6px 8px; font-weight: bold; }"));
  auto* rPage = new QWidget(this);
  auto* rLayout = new QFormLayout(rPage);
  rLayout->addRow(randomWarning_);
  rLayout->addRow(tr("Test share:"), testFraction_);
  rLayout->addRow(tr("Validation share:"), validationFraction_);

  // Cross-corpus.
  auto* cPage = new QWidget(this);
  auto* cLayout = new QGridLayout(cPage);
  cLayout->setContentsMargins(0, 0, 0, 0);
  cLayout->addWidget(new QLabel(tr("Train on:"), this), 0, 0);
  cLayout->addWidget(new QLabel(tr("Test on:"), this), 0, 1);
  cLayout->addWidget(trainCorpora_, 1, 0);
  cLayout->addWidget(testCorpora_, 1, 1);
  cLayout->addWidget(crossInfo_, 2, 0, 1, 2);
  crossInfo_->setWordWrap(true);

  stack_->addWidget(siPage);
  stack_->addWidget(kPage);
  stack_->addWidget(rPage);
  stack_->addWidget(cPage);

  auto* splitBox = new QGroupBox(tr("Split protocol"), this);
  auto* splitLayout = new QVBoxLayout(splitBox);
  splitLayout->addWidget(protocol_);
  splitLayout->addWidget(stack_, 1);

  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #b00020;"));

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(labelsBox);
  layout->addWidget(splitBox, 1);
  layout->addWidget(error_);

  // Initial values: the experiment's (Experiment's defaults for a new dataset).
  labelGroup_->button(int(experiment_->labels))->setChecked(true);
  policy_->setCurrentIndex(policy_->findData(int(experiment_->labelPolicy)));
  protocol_->setCurrentIndex(protocol_->findData(int(splitModeOf(*experiment_))));
  stack_->setCurrentIndex(protocol_->currentIndex());
  folds_->setValue(experiment_->split.folds);
  const SplitSpec defaults;
  testFraction_->setValue(100.0 * (experiment_->split.protocol == SplitProtocol::Random
                                       ? experiment_->split.testFraction : defaults.testFraction));
  validationFraction_->setValue(100.0 * (experiment_->split.protocol == SplitProtocol::Random
                                             ? experiment_->split.validationFraction
                                             : defaults.validationFraction));

  connect(labelGroup_, &QButtonGroup::idClicked, this, [this] { changed(); });
  connect(policy_, &QComboBox::currentIndexChanged, this, [this] { changed(); });
  connect(protocol_, &QComboBox::currentIndexChanged, stack_, &QStackedWidget::setCurrentIndex);
  connect(protocol_, &QComboBox::currentIndexChanged, this, [this] { changed(); });
  connect(folds_, &QSpinBox::valueChanged, this, [this] { changed(); });
  connect(testFraction_, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
  connect(validationFraction_, &QDoubleSpinBox::valueChanged, this, [this] { changed(); });
  connect(trainCorpora_, &QListWidget::itemChanged, this, [this] { changed(); });
  connect(testCorpora_, &QListWidget::itemChanged, this, [this] { changed(); });
  connect(speakers_, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    // A speaker is in at most one held-out set.
    if (item->checkState() == Qt::Checked && (item->column() == TestCol || item->column() == ValidationCol)) {
      const int other = item->column() == TestCol ? ValidationCol : TestCol;
      if (auto* o = speakers_->item(item->row(), other); o && o->checkState() == Qt::Checked)
        o->setCheckState(Qt::Unchecked);
    }
    changed();
  });
  connect(propose, &QPushButton::clicked, this, &LabelSplitPage::proposeHeldOut);
}

void LabelSplitPage::initializePage() {
  rebuildSpeakerTable();
  changed();
}

void LabelSplitPage::rebuildSpeakerTable() {
  // What the table and lists show now (hand edits), to keep across Back and Next.
  std::map<std::string, std::pair<bool, bool>> previous;  // id -> (test, validation)
  for (int r = 0; r < speakers_->rowCount(); ++r)
    previous[speakers_->item(r, IdCol)->text().toStdString()] = {
        speakers_->item(r, TestCol)->checkState() == Qt::Checked,
        speakers_->item(r, ValidationCol)->checkState() == Qt::Checked};
  std::map<std::string, std::pair<bool, bool>> previousCorpora;  // name -> (train, test)
  for (int i = 0; i < trainCorpora_->count(); ++i)
    previousCorpora[trainCorpora_->item(i)->text().toStdString()] = {
        trainCorpora_->item(i)->checkState() == Qt::Checked,
        testCorpora_->item(i)->checkState() == Qt::Checked};

  const auto corpus = corpus_();
  std::map<std::string, std::pair<Sex, int>> speakers;
  std::vector<std::string> corpora;
  if (corpus) {
    for (const Clip& c : corpus->clips) {
      auto& s = speakers[c.speaker];
      s.first = c.sex;
      ++s.second;
      if (std::find(corpora.begin(), corpora.end(), c.corpus) == corpora.end()) corpora.push_back(c.corpus);
    }
  }
  // Speakers not shown before take the experiment's lists when it has them, else core's proposal.
  std::set<std::string> test, validation;
  if (splitModeOf(*experiment_) == SplitMode::HeldOutSpeakers) {
    test.insert(experiment_->split.testSpeakers.begin(), experiment_->split.testSpeakers.end());
    validation.insert(experiment_->split.validationSpeakers.begin(),
                      experiment_->split.validationSpeakers.end());
  }
  if (test.empty() && corpus) {
    try {
      Experiment e = *experiment_;
      applyTo(e);
      const SplitSpec proposal = defaultHeldOut(e, corpus->clips);
      test.insert(proposal.testSpeakers.begin(), proposal.testSpeakers.end());
      validation.insert(proposal.validationSpeakers.begin(), proposal.validationSpeakers.end());
    } catch (const std::exception&) {
      // Nothing to propose (e.g. no labelled clip): the page's problem() says why.
    }
  }

  const bool wasUpdating = updating_;
  updating_ = true;
  {
    QSignalBlocker block(speakers_);
    speakers_->setRowCount(0);
    speakers_->setRowCount(int(speakers.size()));
    int r = 0;
    for (const auto& [id, info] : speakers) {
      speakers_->setItem(r, IdCol, new QTableWidgetItem(QString::fromStdString(id)));
      speakers_->setItem(r, SexCol, new QTableWidgetItem(QString::fromStdString(toString(info.first))));
      auto* clips = new QTableWidgetItem(QLocale().toString(info.second));
      clips->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      speakers_->setItem(r, ClipsCol, clips);
      const auto kept = previous.find(id);
      for (int col : {int(TestCol), int(ValidationCol)}) {
        auto* item = new QTableWidgetItem;
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        const bool on = kept != previous.end()
                            ? (col == TestCol ? kept->second.first : kept->second.second)
                            : (col == TestCol ? test.count(id) > 0 : validation.count(id) > 0);
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
        speakers_->setItem(r, col, item);
      }
      ++r;
    }
  }
  {
    QSignalBlocker blockTrain(trainCorpora_);
    QSignalBlocker blockTest(testCorpora_);
    trainCorpora_->clear();
    testCorpora_->clear();
    for (std::size_t i = 0; i < corpora.size(); ++i) {
      const auto kept = previousCorpora.find(corpora[i]);
      for (QListWidget* list : {trainCorpora_, testCorpora_}) {
        auto* item = new QListWidgetItem(QString::fromStdString(corpora[i]), list);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        const bool on = kept != previousCorpora.end()
                            ? (list == trainCorpora_ ? kept->second.first : kept->second.second)
                            : (list == trainCorpora_ ? i == 0 : i > 0);
        item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
      }
    }
  }
  updating_ = wasUpdating;
  crossInfo_->setText(corpora.size() < 2
                          ? tr("Cross-corpus evaluation needs at least two corpora; this dataset has %1.")
                                .arg(corpora.size())
                          : tr("Every speaker of the test corpora is held out for test; validation "
                               "speakers come from the training corpora. Corpora whose native labels "
                               "differ need the common 6-class set."));
}

void LabelSplitPage::proposeHeldOut() {
  const auto corpus = corpus_();
  if (!corpus) return;
  Experiment e = *experiment_;
  applyTo(e);
  SplitSpec proposal;
  try {
    proposal = defaultHeldOut(e, corpus->clips);
  } catch (const std::exception& ex) {
    error_->setText(QString::fromStdString(ex.what()));
    return;
  }
  const std::set<std::string> t(proposal.testSpeakers.begin(), proposal.testSpeakers.end());
  const std::set<std::string> v(proposal.validationSpeakers.begin(), proposal.validationSpeakers.end());
  {
    QSignalBlocker block(speakers_);
    for (int r = 0; r < speakers_->rowCount(); ++r) {
      const std::string id = speakers_->item(r, IdCol)->text().toStdString();
      speakers_->item(r, TestCol)->setCheckState(t.count(id) ? Qt::Checked : Qt::Unchecked);
      speakers_->item(r, ValidationCol)->setCheckState(v.count(id) ? Qt::Checked : Qt::Unchecked);
    }
  }
  changed();
}

void LabelSplitPage::changed() {
  if (updating_) return;
  applyTo(*experiment_);
  updateLabelInfo();
  updateSpeakerInfo();
  error_->setText(problem());
}

void LabelSplitPage::updateLabelInfo() {
  const bool common = experiment_->labels == LabelSetKind::Common6;
  policy_->setEnabled(common);
  const auto corpus = corpus_();
  if (!corpus) return labelInfo_->clear();
  if (!common) {
    std::set<std::string> labels;
    for (const Clip& c : corpus->clips) labels.insert(c.emotion);
    labelInfo_->setText(tr("All %1 clips are kept, in %2 native classes.")
                            .arg(QLocale().toString(qulonglong(corpus->clips.size())))
                            .arg(labels.size()));
    return;
  }
  const std::string calm = toCommonLabel("calm", experiment_->labelPolicy).value_or(std::string());
  std::size_t kept = 0;
  for (const Clip& c : corpus->clips)
    if (c.emotion == "calm" ? !calm.empty() : !c.common.empty()) ++kept;
  labelInfo_->setText(tr("%1 of %2 clips have a common label and are kept.")
                          .arg(QLocale().toString(qulonglong(kept)))
                          .arg(QLocale().toString(qulonglong(corpus->clips.size()))));
}

std::vector<std::string> LabelSplitPage::checkedSpeakers(int column) const {
  std::vector<std::string> out;
  for (int r = 0; r < speakers_->rowCount(); ++r)
    if (speakers_->item(r, column)->checkState() == Qt::Checked)
      out.push_back(speakers_->item(r, IdCol)->text().toStdString());
  return out;
}

std::vector<std::string> LabelSplitPage::checkedCorpora(const QListWidget* list) const {
  std::vector<std::string> out;
  for (int i = 0; i < list->count(); ++i)
    if (list->item(i)->checkState() == Qt::Checked) out.push_back(list->item(i)->text().toStdString());
  return out;
}

std::vector<std::string> LabelSplitPage::testSpeakers() const { return checkedSpeakers(TestCol); }
std::vector<std::string> LabelSplitPage::validationSpeakers() const { return checkedSpeakers(ValidationCol); }

void LabelSplitPage::updateSpeakerInfo() {
  const int total = speakers_->rowCount();
  const int test = int(checkedSpeakers(TestCol).size());
  const int val = int(checkedSpeakers(ValidationCol).size());
  speakerInfo_->setText(tr("Test: %1 speakers \u00b7 Validation: %2 \u00b7 Training: %3")
                            .arg(test).arg(val).arg(total - test - val));
}

void LabelSplitPage::applyTo(Experiment& e) const {
  e.labels = LabelSetKind(labelGroup_->checkedId());
  e.labelPolicy = CommonLabelPolicy(policy_->currentData().toInt());
  // The split starts from SplitSpec's defaults so that no value of another mode lingers: the
  // experiment equals the one `serwb train` builds from the same choices.
  SplitSpec split;
  e.trainCorpora.clear();
  e.testCorpora.clear();
  switch (SplitMode(protocol_->currentData().toInt())) {
    case SplitMode::HeldOutSpeakers:
      split.testSpeakers = checkedSpeakers(TestCol);
      split.validationSpeakers = checkedSpeakers(ValidationCol);
      break;
    case SplitMode::KFold:
      split.protocol = SplitProtocol::KFold;
      split.folds = folds_->value();
      split.fold = -1;  // every fold is trained and tested (runCrossValidation)
      break;
    case SplitMode::Random:
      split.protocol = SplitProtocol::Random;
      split.testFraction = testFraction_->value() / 100.0;
      split.validationFraction = validationFraction_->value() / 100.0;
      break;
    case SplitMode::CrossCorpus: {
      e.trainCorpora = checkedCorpora(trainCorpora_);
      e.testCorpora = checkedCorpora(testCorpora_);
      // Every speaker of the test corpora is held out; validation speakers are chosen by the
      // held-out policy among the training corpora's speakers.
      if (const auto corpus = corpus_())
        for (const std::string& name : e.testCorpora)
          for (const std::string& id : speakersOfCorpus(corpus->clips, name))
            split.testSpeakers.push_back(id);
      break;
    }
  }
  split.seed = e.seed;
  e.split = split;
}

QString LabelSplitPage::problem() const {
  Experiment e = *experiment_;
  applyTo(e);
  // What the page's modes add to core's rules: an explicit choice where core would choose itself.
  const SplitMode mode = SplitMode(protocol_->currentData().toInt());
  if (mode == SplitMode::HeldOutSpeakers && e.split.testSpeakers.empty())
    return tr("Tick at least one test speaker.");
  if (mode == SplitMode::CrossCorpus) {
    if (e.trainCorpora.empty()) return tr("Tick at least one corpus to train on.");
    if (e.testCorpora.empty()) return tr("Tick at least one corpus to test on.");
    for (const std::string& c : e.testCorpora)
      if (std::find(e.trainCorpora.begin(), e.trainCorpora.end(), c) != e.trainCorpora.end())
        return tr("%1 is both trained and tested on: in a cross-corpus split every speaker of a test "
                  "corpus is held out, so untick it on one side.").arg(QString::fromStdString(c));
  }
  try {
    e.validate();
    if (const auto corpus = corpus_()) {
      // k-fold trains every fold: each must be a valid split of these clips.
      if (e.split.protocol == SplitProtocol::KFold && e.split.fold < 0) {
        for (int f = 0; f < e.split.folds; ++f) {
          Experiment one = e;
          one.split.fold = f;
          (void)experimentSplit(one, corpus->clips);
        }
      } else {
        (void)experimentSplit(e, corpus->clips);
      }
    }
  } catch (const std::exception& ex) {
    return QString::fromStdString(ex.what());
  }
  return {};
}

void LabelSplitPage::setLabelSet(LabelSetKind labels) {
  labelGroup_->button(int(labels))->setChecked(true);
  changed();
}

void LabelSplitPage::setPolicy(CommonLabelPolicy policy) {
  policy_->setCurrentIndex(policy_->findData(int(policy)));
}

void LabelSplitPage::setMode(SplitMode mode) {
  protocol_->setCurrentIndex(protocol_->findData(int(mode)));
}

void LabelSplitPage::setTestSpeakers(const std::vector<std::string>& ids) {
  const std::set<std::string> t(ids.begin(), ids.end());
  for (int r = 0; r < speakers_->rowCount(); ++r)
    speakers_->item(r, TestCol)->setCheckState(
        t.count(speakers_->item(r, IdCol)->text().toStdString()) ? Qt::Checked : Qt::Unchecked);
}

void LabelSplitPage::setValidationSpeakers(const std::vector<std::string>& ids) {
  const std::set<std::string> v(ids.begin(), ids.end());
  for (int r = 0; r < speakers_->rowCount(); ++r)
    speakers_->item(r, ValidationCol)->setCheckState(
        v.count(speakers_->item(r, IdCol)->text().toStdString()) ? Qt::Checked : Qt::Unchecked);
}

bool LabelSplitPage::validatePage() {
  applyTo(*experiment_);
  const QString message = problem();
  error_->setText(message);
  return message.isEmpty();
}

}  // namespace ser
