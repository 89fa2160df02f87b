#pragma once
// Wizard page 2: scans the chosen corpora on a worker thread and shows what was found before the
// user goes on: counts per corpus x emotion x sex, corpus warnings and every skipped file with
// its reason. Synthetic corpora are labelled "SYNTHETIC demo data".
#include <functional>
#include <memory>
#include <vector>
#include <QPointer>
#include <QWizardPage>

#include "core/corpus/corpus_spec.h"
#include "ui/common/background_job.h"

class QLabel;
class QListWidget;
class QProgressBar;
class QTableWidget;

namespace ser {


class ScanPage : public QWizardPage {
  Q_OBJECT
 public:
  // `specs` is asked for the corpora each time the page is entered.
  explicit ScanPage(std::function<std::vector<CorpusSpec>()> specs, QWidget* parent = nullptr);
  ~ScanPage() override;

  void initializePage() override;  // starts the scan
  void cleanupPage() override;     // Back: cancels a running scan
  bool isComplete() const override;

  bool isScanning() const { return bool(job_); }
  std::shared_ptr<const Corpus> corpus() const { return corpus_; }  // null until a scan succeeds
  QString errorMessage() const { return error_; }

  QTableWidget* countsTable() const { return counts_; }
  QListWidget* skippedList() const { return skipped_; }
  QListWidget* warningsList() const { return warnings_; }
  bool syntheticBannerShown() const;

 signals:
  void scanFinished(bool ok);

 private:
  void showCorpus(const Corpus& corpus);
  void showError(const QString& message);

  std::function<std::vector<CorpusSpec>()> specs_;
  QLabel* synthetic_;
  QLabel* status_;
  QProgressBar* progress_;
  QTableWidget* counts_;
  QListWidget* warnings_;
  QListWidget* skipped_;
  QPointer<BackgroundJob> job_;
  std::shared_ptr<const Corpus> corpus_;
  QString error_;
};

}  // namespace ser
