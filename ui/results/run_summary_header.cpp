#include "ui/results/run_summary_header.h"

#include <QLabel>
#include <cmath>
#include <QVBoxLayout>

#include "core/runs/run_folder.h"
#include "ui/results/metrics_format.h"

namespace ser {

QString protocolText(const RunFolder& run) {
  const auto& split = jsonObject(run.metrics, "split");
  const QString protocol = QString::fromStdString(split.value("protocol", std::string("unknown")));
  if (!run.speakerIndependent()) return protocol + QObject::tr(" (NOT speaker-independent)");
  return protocol.contains(QStringLiteral("speaker-independent")) ? protocol
                                                                   : protocol + QObject::tr(" (speaker-independent)");
}

QString leakageWarningText(const RunFolder& run) {
  if (run.speakerIndependent()) return {};
  QStringList lines;
  const auto& split = jsonObject(run.metrics, "split");
  if (split.contains("warnings") && split["warnings"].is_array())
    for (const auto& w : split["warnings"])
      if (w.is_string()) lines << QString::fromStdString(w.get<std::string>());
  if (lines.isEmpty())
    lines << QObject::tr("The split is not speaker-independent: test speakers may also appear in "
                         "training, so accuracy is optimistic.");
  return QObject::tr("Speaker leakage: ") + lines.join(QStringLiteral("; "));
}

RunSummaryHeader::RunSummaryHeader(QWidget* parent)
    : QWidget(parent), title_(new QLabel), summary_(new QLabel), leakage_(new QLabel),
      synthetic_(new QLabel) {
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
  for (QLabel* banner : {leakage_, synthetic_}) {
    banner->setWordWrap(true);
    banner->setMargin(6);
    banner->hide();
  }
  leakage_->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; font-weight: bold; "
                                         "border-radius: 3px; }")
                              .arg(warningColor().name()));
  synthetic_->setStyleSheet(QStringLiteral("QLabel { background: #e67e22; color: white; "
                                           "font-weight: bold; border-radius: 3px; }"));
  layout->addWidget(title_);
  layout->addWidget(summary_);
  layout->addWidget(leakage_);
  layout->addWidget(synthetic_);
  clear();
}

void RunSummaryHeader::clear() {
  title_->setText(tr("No run loaded"));
  summary_->clear();
  leakage_->hide();
  synthetic_->hide();
}

void RunSummaryHeader::setRun(const RunFolder& run) {
  const auto& m = run.metrics;
  title_->setText(tr("Run: %1").arg(QString::fromStdString(run.name())));
  const QString model = m.contains("model") && m["model"].is_string()
                            ? QString::fromStdString(m["model"].get<std::string>())
                            : QStringLiteral("\u2013");
  const double n = jsonNumber(m, "n");
  summary_->setText(
      tr("<b>WA</b> %1 &nbsp;&nbsp; <b>UAR</b> %2 &nbsp;&nbsp; <b>Macro F1</b> %3 &nbsp;&nbsp; "
         "<b>n</b> %4<br><b>Model</b> %5 &nbsp;&nbsp; <b>Protocol</b> %6 &nbsp;&nbsp; "
         "<b>Classes</b> %7<br><span style='color:gray'>95% intervals in brackets. %8</span>")
          .arg(formatPercentCi(jsonNumber(m, "wa"), jsonInterval(m, "wa_ci95")),
               formatPercentCi(jsonNumber(m, "uar"), jsonInterval(m, "uar_ci95")),
               formatPercent(jsonNumber(m, "macro_f1")),
               std::isnan(n) ? QStringLiteral("\u2013") : QString::number(n),
               model.toHtmlEscaped(), protocolText(run).toHtmlEscaped(),
               QString::number(run.labels.size()),
               std::isnan(jsonNumber(m, "train_seconds"))
                   ? QString()
                   : tr("Trained in %1 s on %2.")
                         .arg(jsonNumber(m, "train_seconds"), 0, 'f', 1)
                         .arg(QString::fromStdString(m.value("device", std::string("?"))))));
  const QString warning = leakageWarningText(run);
  leakage_->setText(QStringLiteral("\u26a0 ") + warning);
  leakage_->setVisible(!warning.isEmpty());
  synthetic_->setText(tr("SYNTHETIC DATA: this run used the generated demo corpus; its numbers say "
                         "nothing about real speech."));
  synthetic_->setVisible(run.synthetic());
}

QString RunSummaryHeader::summaryText() const { return summary_->text(); }
QString RunSummaryHeader::leakageWarning() const { return leakage_->isHidden() ? QString() : leakage_->text(); }
bool RunSummaryHeader::leakageWarningVisible() const { return !leakage_->isHidden(); }

}  // namespace ser
