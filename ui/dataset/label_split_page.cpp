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

LabelSplitPage::LabelSplitPage(std::function<std::shared_ptr<const Corpus>()> corpus, QWidget* parent)
    : QWizardPage(parent), corpus_(std::move(corpus)), labelGroup_(new QButtonGroup(this)),
      policy_(new QComboBox(this)), labelInfo_(new QLabel(this)), protocol_(new QComboBox(this)),
      stack_(new QStackedWidget(this)), speakers_(new QTableWidget(0, 5, this)),
      speakerInfo_(new QLabel(this)), folds_(new QSpinBox(this)),
      testFraction_(new QDoubleSpinBox(this)), validationFraction_(new QDoubleSpinBox(this)),
      randomWarning_(new QLabel(QString::fromLatin1(kRandomSplitWarning), this)),
      trainCorpora_(new QListWidget(this)), testCorpora_(new QListWidget(this)),
      crossInfo_(new QLabel(this)), error_(new QLabel(this)) {
  setTitle(tr("Labels and split"));
  setSubTitle(tr("Choose the label set and how clips are divided into training, validation and test."));

  // Labels.
  auto* common = new QRadioButton(tr("Common 6-class set (neutral, happy, sad, angry, fearful, disgust)"), this);
  auto* native = new QRadioButton(tr("Native labels of each corpus"), this);
  labelGroup_->addButton(common, int(LabelSetChoice::Common));
  labelGroup_->addButton(native, int(LabelSetChoice::Native));
  common->setChecked(true);
  policy_->addItem(tr("Drop calm and surprised"), int(CommonLabelPolicy::Drop));
  policy_->addItem(tr("Map calm to neutral; drop surprised"), int(CommonLabelPolicy::CalmToNeutral));
  labelInfo_->setStyleSheet(QStringLiteral("color: palette(dark);"));
  auto* labelsBox = new QGroupBox(tr("Labels"), this);
  auto* labelsLayout = new QVBoxLayout(labelsBox);
  labelsLayout->addWidget(common);
  auto* policyRow = new QHBoxLayout;
  policyRow->addSpacing(24);
  policyRow->addWidget(new QLabel(tr("RAVDESS calm / surprised:"), this));
  policyRow->addWidget(policy_);
  policyRow->addStretch(1);
  labelsLayout->addLayout(policyRow);
  labelsLayout->addWidget(native);
  labelsLayout->addWidget(labelInfo_);

  // Split protocols, in SplitChoiceProtocol order.
  protocol_->addItem(tr("Speaker-independent (held-out speakers)"), int(SplitChoiceProtocol::SpeakerIndependent));
  protocol_->addItem(tr("k-fold cross-validation by speaker"), int(SplitChoiceProtocol::KFold));
  protocol_->addItem(tr("Random clip split"), int(SplitChoiceProtocol::Random));
  protocol_->addItem(tr("Cross-corpus (train on A, test on B)"), int(SplitChoiceProtocol::CrossCorpus));

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
                              "speakers train. No speaker is in two sets."), this));
  siLayout->addWidget(speakers_, 1);
  auto* siBottom = new QHBoxLayout;
  siBottom->addWidget(speakerInfo_, 1);
  siBottom->addWidget(propose);
  siLayout->addLayout(siBottom);

  // k-fold.
  folds_->setRange(2, 20);
  folds_->setValue(5);
  auto* kPage = new QWidget(this);
  auto* kLayout = new QFormLayout(kPage);
  kLayout->addRow(tr("Folds (k):"), folds_);
  kLayout->addRow(note(tr("Folds are grouped by speaker: no speaker appears in two folds. Each "
                          "fold is the test set once."), this));

  // Random.
  testFraction_->setRange(5, 50);
  testFraction_->setValue(20);
  testFraction_->setSuffix(QStringLiteral(" %"));
  validationFraction_->setRange(0, 40);
  validationFraction_->setValue(10);
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

  connect(labelGroup_, &QButtonGroup::idClicked, this, [this] { updateLabelInfo(); });
  connect(policy_, &QComboBox::currentIndexChanged, this, [this] { updateLabelInfo(); });
  connect(protocol_, &QComboBox::currentIndexChanged, stack_, &QStackedWidget::setCurrentIndex);
  connect(protocol_, &QComboBox::currentIndexChanged, error_, &QLabel::clear);
  connect(speakers_, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
    // A speaker is in at most one held-out set.
    if (item->checkState() == Qt::Checked && (item->column() == TestCol || item->column() == ValidationCol)) {
      const int other = item->column() == TestCol ? ValidationCol : TestCol;
      if (auto* o = speakers_->item(item->row(), other); o && o->checkState() == Qt::Checked)
        o->setCheckState(Qt::Unchecked);
    }
    updateSpeakerInfo();
  });
  connect(propose, &QPushButton::clicked, this, [this] {
    std::vector<std::string> ids, test, validation;
    for (int r = 0; r < speakers_->rowCount(); ++r) ids.push_back(speakers_->item(r, IdCol)->text().toStdString());
    proposeHeldOutSpeakers(ids, test, validation);
    const std::set<std::string> t(test.begin(), test.end()), v(validation.begin(), validation.end());
    QSignalBlocker block(speakers_);
    for (int r = 0; r < speakers_->rowCount(); ++r) {
      const std::string id = ids[std::size_t(r)];
      speakers_->item(r, TestCol)->setCheckState(t.count(id) ? Qt::Checked : Qt::Unchecked);
      speakers_->item(r, ValidationCol)->setCheckState(v.count(id) ? Qt::Checked : Qt::Unchecked);
    }
    block.unblock();
    updateSpeakerInfo();
  });
}

void LabelSplitPage::initializePage() {
  error_->clear();
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
  std::vector<std::string> ids;
  for (const auto& kv : speakers) ids.push_back(kv.first);
  std::vector<std::string> test, validation;
  proposeHeldOutSpeakers(ids, test, validation);
  const std::set<std::string> t(test.begin(), test.end()), v(validation.begin(), validation.end());

  QSignalBlocker block(speakers_);
  speakers_->setRowCount(0);
  speakers_->setRowCount(int(ids.size()));
  for (int r = 0; r < int(ids.size()); ++r) {
    const auto& id = ids[std::size_t(r)];
    speakers_->setItem(r, IdCol, new QTableWidgetItem(QString::fromStdString(id)));
    speakers_->setItem(r, SexCol, new QTableWidgetItem(QString::fromStdString(toString(speakers[id].first))));
    auto* clips = new QTableWidgetItem(QLocale().toString(speakers[id].second));
    clips->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    speakers_->setItem(r, ClipsCol, clips);
    for (int col : {int(TestCol), int(ValidationCol)}) {
      auto* item = new QTableWidgetItem;
      item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
      const bool on = col == TestCol ? t.count(id) > 0 : v.count(id) > 0;
      item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
      speakers_->setItem(r, col, item);
    }
  }
  block.unblock();

  trainCorpora_->clear();
  testCorpora_->clear();
  for (std::size_t i = 0; i < corpora.size(); ++i) {
    for (QListWidget* list : {trainCorpora_, testCorpora_}) {
      auto* item = new QListWidgetItem(QString::fromStdString(corpora[i]), list);
      item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
      const bool on = list == trainCorpora_ ? i == 0 : i > 0;
      item->setCheckState(on ? Qt::Checked : Qt::Unchecked);
    }
  }
  crossInfo_->setText(corpora.size() < 2
                          ? tr("Cross-corpus evaluation needs at least two corpora; this dataset has %1.")
                                .arg(corpora.size())
                          : tr("Labels are mapped to the common set so the corpora share classes."));
  updateLabelInfo();
  updateSpeakerInfo();
}

void LabelSplitPage::updateLabelInfo() {
  policy_->setEnabled(labelSet() == LabelSetChoice::Common);
  const auto corpus = corpus_();
  if (!corpus) return labelInfo_->clear();
  if (labelSet() == LabelSetChoice::Native) {
    std::set<std::string> labels;
    for (const Clip& c : corpus->clips) labels.insert(c.emotion);
    labelInfo_->setText(tr("All %1 clips are kept, in %2 native classes.")
                            .arg(QLocale().toString(qulonglong(corpus->clips.size())))
                            .arg(labels.size()));
    return;
  }
  const std::string calm = toCommonLabel("calm", policy()).value_or(std::string());
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

void LabelSplitPage::updateSpeakerInfo() {
  const int total = speakers_->rowCount();
  const int test = int(checkedSpeakers(TestCol).size());
  const int val = int(checkedSpeakers(ValidationCol).size());
  speakerInfo_->setText(tr("Test: %1 speakers \u00b7 Validation: %2 \u00b7 Training: %3")
                            .arg(test).arg(val).arg(total - test - val));
}

LabelSetChoice LabelSplitPage::labelSet() const { return LabelSetChoice(labelGroup_->checkedId()); }
CommonLabelPolicy LabelSplitPage::policy() const { return CommonLabelPolicy(policy_->currentData().toInt()); }

SplitChoice LabelSplitPage::split() const {
  SplitChoice s;
  s.protocol = SplitChoiceProtocol(protocol_->currentData().toInt());
  s.testSpeakers = checkedSpeakers(TestCol);
  s.validationSpeakers = checkedSpeakers(ValidationCol);
  s.folds = folds_->value();
  s.testFraction = testFraction_->value() / 100.0;
  s.validationFraction = validationFraction_->value() / 100.0;
  for (int i = 0; i < trainCorpora_->count(); ++i) {
    if (trainCorpora_->item(i)->checkState() == Qt::Checked)
      s.trainCorpora.push_back(trainCorpora_->item(i)->text().toStdString());
    if (testCorpora_->item(i)->checkState() == Qt::Checked)
      s.testCorpora.push_back(testCorpora_->item(i)->text().toStdString());
  }
  return s;
}

void LabelSplitPage::setLabelSet(LabelSetChoice choice) {
  labelGroup_->button(int(choice))->setChecked(true);
  updateLabelInfo();
}

void LabelSplitPage::setPolicy(CommonLabelPolicy policy) {
  policy_->setCurrentIndex(policy_->findData(int(policy)));
}

void LabelSplitPage::setProtocol(SplitChoiceProtocol protocol) {
  protocol_->setCurrentIndex(protocol_->findData(int(protocol)));
}

void LabelSplitPage::setTestSpeakers(const std::vector<std::string>& ids) {
  const std::set<std::string> t(ids.begin(), ids.end());
  for (int r = 0; r < speakers_->rowCount(); ++r)
    speakers_->item(r, TestCol)->setCheckState(
        t.count(speakers_->item(r, IdCol)->text().toStdString()) ? Qt::Checked : Qt::Unchecked);
}

bool LabelSplitPage::validatePage() {
  try {
    split().validate();
  } catch (const Error& e) {
    error_->setText(QString::fromStdString(e.what()));
    return false;
  }
  error_->clear();
  return true;
}

}  // namespace ser
