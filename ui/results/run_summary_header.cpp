#include "ui/results/run_summary_header.h"

#include <QLabel>
#include <QVBoxLayout>

#include "core/base/text.h"
#include "core/runs/run_record.h"
#include "ui/results/metrics_format.h"

namespace ser {

QString protocolText(const RunRecord& run) {
  const SplitProvenance& s = run.split;
  QString protocol = QString::fromStdString(s.protocol.empty() ? std::string("unknown") : s.protocol);
  if (s.crossCorpus())
    protocol += QObject::tr(", cross-corpus (%1 \u2192 %2)")
                    .arg(QString::fromStdString(joinStrings(s.trainCorpora, " + ")),
                         QString::fromStdString(joinStrings(s.testCorpora, " + ")));
  if (!s.known) return protocol + QObject::tr(" (speaker independence unknown)");
  if (!s.speakerIndependent()) return protocol + QObject::tr(" (NOT speaker-independent)");
  return protocol + QObject::tr(" (speaker-independent)");
}

QString leakageWarningText(const RunRecord& run) {
  const SplitProvenance& s = run.split;
  if (!s.known || s.speakerIndependent()) return {};
  return QObject::tr("Speaker leakage: %1 of the test speakers (%2) also trained the model, so "
                     "accuracy is optimistic.")
      .arg(s.testSpeakersSeen.size())
      .arg(QString::fromStdString(joinStrings(s.testSpeakersSeen)));
}

QString provenanceNoteText(const RunRecord& run) {
  if (run.split.known) return {};
  return QObject::tr("Provenance unknown: this run folder does not record which speakers trained "
                     "the model (written by an older serwb), so speaker independence cannot be "
                     "checked.");
}

RunSummaryHeader::RunSummaryHeader(QWidget* parent)
    : QWidget(parent), title_(new QLabel), summary_(new QLabel), leakage_(new QLabel),
      provenance_(new QLabel), synthetic_(new QLabel) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->setSpacing(4);
  QFont big = title_->font();
  big.setPointSizeF(big.pointSizeF() * 1.35);
  big.setBold(true);
  title_->setFont(big);
  summary_->setTextFormat(Qt::RichText);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  for (QLabel* banner : {leakage_, provenance_, synthetic_}) {
    banner->setWordWrap(true);
    banner->setMargin(6);
    banner->hide();
  }
  leakage_->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold; "
                                         "border-radius: 3px; }")
                              .arg(warningColor().name()));
  provenance_->setStyleSheet(QStringLiteral("QLabel { background: #dddddd; color: black; "
                                            "border-radius: 3px; }"));
  synthetic_->setStyleSheet(QStringLiteral("QLabel { background: #e67e22; color: white; "
                                           "font-weight: bold; border-radius: 3px; }"));
  layout->addWidget(title_);
  layout->addWidget(summary_);
  layout->addWidget(leakage_);
  layout->addWidget(provenance_);
  layout->addWidget(synthetic_);
  clear();
}

void RunSummaryHeader::clear() {
  title_->setText(tr("No run loaded"));
  summary_->clear();
  leakage_->hide();
  provenance_->hide();
  synthetic_->hide();
}

void RunSummaryHeader::setRun(const RunRecord& run) {
  const MetricsReport& m = run.metrics;
  title_->setText(tr("Run: %1").arg(QString::fromStdString(run.name())));
  const QString model = run.model.empty() ? QStringLiteral("\u2013") : QString::fromStdString(run.model);
  const TrainingFacts& t = run.training;
  summary_->setText(
      tr("<b>WA</b> %1 &nbsp;&nbsp; <b>UAR</b> %2 &nbsp;&nbsp; <b>Macro F1</b> %3 &nbsp;&nbsp; "
         "<b>n</b> %4 clips, %5 speakers<br><b>Model</b> %6 &nbsp;&nbsp; <b>Protocol</b> %7 "
         "&nbsp;&nbsp; <b>Classes</b> %8 (chance %9)<br><span style='color:gray'>95% intervals "
         "in brackets, from a bootstrap over speakers. %10</span>")
          .arg(formatPercentCi(m.overall.wa, m.overall.waCi95, m.overall.speakers),
               formatPercentCi(m.overall.uar, m.overall.uarCi95, m.overall.speakers),
               formatPercent(m.macroF1),
               QString::number(m.overall.n), QString::number(m.overall.speakers),
               model.toHtmlEscaped(), protocolText(run).toHtmlEscaped(),
               QString::number(run.labels().size()), formatPercent(m.chance()),
               t.trainSeconds < 0 ? (t.device.empty() ? QString() : tr("Evaluated on %1.").arg(QString::fromStdString(t.device)))
                                  : tr("Trained in %1 s on %2.")
                                        .arg(t.trainSeconds, 0, 'f', 1)
                                        .arg(QString::fromStdString(t.device))));
  const QString warning = leakageWarningText(run);
  leakage_->setText(QStringLiteral("\u26a0 ") + warning);
  leakage_->setVisible(!warning.isEmpty());
  const QString note = provenanceNoteText(run);
  provenance_->setText(note);
  provenance_->setVisible(!note.isEmpty());
  synthetic_->setText(tr("SYNTHETIC DATA: this run used the generated demo corpus; its numbers say "
                         "nothing about real speech."));
  synthetic_->setVisible(run.synthetic);
}

QString RunSummaryHeader::summaryText() const { return summary_->text(); }
QString RunSummaryHeader::leakageWarning() const { return leakage_->isHidden() ? QString() : leakage_->text(); }
bool RunSummaryHeader::leakageWarningVisible() const { return !leakage_->isHidden(); }
QString RunSummaryHeader::provenanceNote() const { return provenance_->isHidden() ? QString() : provenance_->text(); }

}  // namespace ser
