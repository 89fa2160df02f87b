#include "ui/dataset/corpus_loader.h"

#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QWidget>

#include "core/demo/demo_corpus.h"
#include "ui/common/background_job.h"

namespace ser {

BackgroundJob* loadCorporaInBackground(QWidget* parent, const std::vector<CorpusSpec>& specs,
                                       CommonLabelPolicy policy,
                                       std::function<void(std::shared_ptr<const Corpus>)> done) {
  auto result = std::make_shared<Corpus>();
  auto* job = new BackgroundJob([result, specs, policy](ProgressReporter& p, const CancelFlag& c) {
    *result = loadCorpora(specs, policy, &p, &c);
  }, parent);
  job->setAutoDelete(true);
  job->showProgressDialog(parent, QObject::tr("Scanning corpora..."));
  QObject::connect(job, &BackgroundJob::succeeded, job, [result, done] { done(result); });
  QObject::connect(job, &BackgroundJob::failed, job, [parent](const QString& message) {
    QMessageBox::warning(parent, QObject::tr("Cannot load the dataset"), message);
  });
  job->start();
  return job;
}

std::vector<CorpusSpec> demoCorpusSpecs(const QString& dir) {
  CorpusSpec acted;
  acted.reader = CorpusReader::Ravdess;
  acted.path = QDir(dir).filePath(QStringLiteral("demo-acted")).toStdString();
  CorpusSpec crowd;
  crowd.reader = CorpusReader::CremaD;
  crowd.path = QDir(dir).filePath(QStringLiteral("demo-crowd")).toStdString();
  return {acted, crowd};
}

bool demoCorpusExists(const QString& dir) {
  for (const auto& spec : demoCorpusSpecs(dir))
    if (!QFileInfo::exists(QDir(QString::fromStdString(spec.path)).filePath(QString::fromLatin1(kDemoMarkerFile))))
      return false;
  return true;
}

BackgroundJob* makeDemoCorpusInBackground(QWidget* parent, const QString& dir, std::function<void()> done) {
  const std::string out = dir.toStdString();
  auto* job = new BackgroundJob([out](ProgressReporter& p, const CancelFlag& c) {
    makeDemoCorpus(out, DemoCorpusOptions{}, &p, &c);
  }, parent);
  job->setAutoDelete(true);
  job->showProgressDialog(parent, QObject::tr("Writing the demo corpus..."), 300);
  QObject::connect(job, &BackgroundJob::succeeded, job, [done] { done(); });
  QObject::connect(job, &BackgroundJob::failed, job, [parent](const QString& message) {
    QMessageBox::warning(parent, QObject::tr("Cannot write the demo corpus"), message);
  });
  job->start();
  return job;
}

}  // namespace ser
