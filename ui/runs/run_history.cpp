#include "ui/runs/run_history.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>
#include <QVariant>

#include "core/base/text.h"
#include "core/runs/run_record.h"
#include "core/runs/study_table.h"

namespace ser {
namespace {

QVariant optionalValue(const std::optional<double>& v) { return v ? QVariant(*v) : QVariant(); }
std::optional<double> optionalDouble(const QVariant& v) {
  if (v.isNull()) return std::nullopt;
  return v.toDouble();
}
std::optional<Interval> optionalInterval(const QVariant& lo, const QVariant& hi) {
  if (lo.isNull() || hi.isNull()) return std::nullopt;
  return Interval{lo.toDouble(), hi.toDouble()};
}

QString corporaText(const std::vector<std::string>& train, const std::vector<std::string>& test) {
  const QString a = QString::fromStdString(joinStrings(train, "+"));
  const QString b = QString::fromStdString(joinStrings(test, "+"));
  if (a.isEmpty()) return b;
  if (b.isEmpty() || a == b) return a;
  return a + QStringLiteral(" \u2192 ") + b;
}

bool folderStillThere(const RunHistoryEntry& e) {
  const std::string dir = e.path.toStdString();
  return e.kind == RunHistoryEntry::Kind::Study ? isStudyFolder(dir) : isRunFolder(dir);
}

}  // namespace

QString RunHistory::defaultFile() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
         QStringLiteral("/run-history.sqlite");
}

RunHistory::RunHistory(const QString& file)
    : file_(file.isEmpty() ? defaultFile() : file),
      connection_(QStringLiteral("serwb-run-history-") + QUuid::createUuid().toString(QUuid::WithoutBraces)) {
  if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
    error_ = QObject::tr("The run history needs Qt's SQLite driver (Debian: libqt6sql6-sqlite), "
                         "which is not installed.");
    return;
  }
  if (!QDir().mkpath(QFileInfo(file_).absolutePath())) {
    error_ = QObject::tr("%1: cannot create the folder for the run history.").arg(file_);
    return;
  }
  QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection_);
  db.setDatabaseName(file_);
  if (!db.open()) {
    error_ = QObject::tr("%1: cannot open the run history: %2").arg(file_, db.lastError().text());
    return;
  }
  exec(QStringLiteral(
      "CREATE TABLE IF NOT EXISTS folders ("
      " path TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT, opened_at TEXT,"
      " corpora TEXT, protocol TEXT, model TEXT, n INTEGER,"
      " wa REAL, wa_lo REAL, wa_hi REAL, uar REAL, uar_lo REAL, uar_hi REAL)"));
}

RunHistory::~RunHistory() {
  {
    QSqlDatabase db = QSqlDatabase::database(connection_, false);
    if (db.isValid()) db.close();
  }
  if (QSqlDatabase::contains(connection_)) QSqlDatabase::removeDatabase(connection_);
}

bool RunHistory::exec(const QString& sql) const {
  QSqlQuery q(QSqlDatabase::database(connection_, false));
  if (q.exec(sql)) return true;
  error_ = QObject::tr("%1: %2").arg(file_, q.lastError().text());
  return false;
}

RunHistoryEntry RunHistory::entryFor(const RunRecord& run) {
  RunHistoryEntry e;
  e.path = QFileInfo(QString::fromStdString(run.path.string())).absoluteFilePath();
  e.kind = RunHistoryEntry::Kind::Run;
  e.name = QString::fromStdString(run.name());
  e.openedAt = QDateTime::currentDateTimeUtc();
  e.corpora = corporaText(run.split.trainCorpora, run.split.testCorpora);
  if (run.synthetic) e.corpora += QLatin1Char(' ') + QObject::tr("(synthetic)");  // as studies say it
  e.protocol = QString::fromStdString(run.split.known ? run.split.protocol : std::string());
  e.model = QString::fromStdString(run.model);
  e.n = int(run.metrics.overall.n);
  e.wa = run.metrics.overall.wa;
  e.uar = run.metrics.overall.uar;
  e.waCi95 = run.metrics.overall.waCi95;
  e.uarCi95 = run.metrics.overall.uarCi95;
  return e;
}

RunHistoryEntry RunHistory::entryFor(const StudyTable& study) {
  RunHistoryEntry e;
  e.path = QFileInfo(QString::fromStdString(study.path.string())).absoluteFilePath();
  e.kind = RunHistoryEntry::Kind::Study;
  e.name = QFileInfo(e.path).fileName();
  e.openedAt = QDateTime::currentDateTimeUtc();
  QStringList corpora;
  if (!study.ravdess.empty()) corpora << QStringLiteral("RAVDESS");
  if (!study.cremaD.empty()) corpora << QStringLiteral("CREMA-D");
  if (study.synthetic) corpora << QObject::tr("(synthetic)");
  e.corpora = corpora.join(QLatin1Char(' '));
  e.protocol = QStringLiteral("study");
  e.n = int(study.rows.size());
  return e;
}

bool RunHistory::remember(const RunRecord& run) { return remember(entryFor(run)); }
bool RunHistory::remember(const StudyTable& study) { return remember(entryFor(study)); }

bool RunHistory::remember(const RunHistoryEntry& e) {
  if (!ok()) return false;
  QSqlQuery q(QSqlDatabase::database(connection_, false));
  q.prepare(QStringLiteral(
      "INSERT OR REPLACE INTO folders (path, kind, name, opened_at, corpora, protocol, model, n,"
      " wa, wa_lo, wa_hi, uar, uar_lo, uar_hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  q.addBindValue(e.path);
  q.addBindValue(e.kind == RunHistoryEntry::Kind::Study ? QStringLiteral("study") : QStringLiteral("run"));
  q.addBindValue(e.name);
  q.addBindValue(e.openedAt.toUTC().toString(Qt::ISODateWithMs));
  q.addBindValue(e.corpora);
  q.addBindValue(e.protocol);
  q.addBindValue(e.model);
  q.addBindValue(e.n);
  q.addBindValue(optionalValue(e.wa));
  q.addBindValue(e.waCi95 ? QVariant(e.waCi95->lo) : QVariant());
  q.addBindValue(e.waCi95 ? QVariant(e.waCi95->hi) : QVariant());
  q.addBindValue(optionalValue(e.uar));
  q.addBindValue(e.uarCi95 ? QVariant(e.uarCi95->lo) : QVariant());
  q.addBindValue(e.uarCi95 ? QVariant(e.uarCi95->hi) : QVariant());
  if (q.exec()) return true;
  error_ = QObject::tr("%1: cannot remember %2: %3").arg(file_, e.path, q.lastError().text());
  return false;
}

bool RunHistory::remove(const QString& path) {
  if (!ok()) return false;
  QSqlQuery q(QSqlDatabase::database(connection_, false));
  q.prepare(QStringLiteral("DELETE FROM folders WHERE path = ?"));
  q.addBindValue(path);
  if (q.exec()) return true;
  error_ = QObject::tr("%1: cannot remove %2: %3").arg(file_, path, q.lastError().text());
  return false;
}

QVector<RunHistoryEntry> RunHistory::entries() const {
  QVector<RunHistoryEntry> out;
  if (!ok()) return out;
  QSqlQuery q(QSqlDatabase::database(connection_, false));
  if (!q.exec(QStringLiteral("SELECT path, kind, name, opened_at, corpora, protocol, model, n, wa, wa_lo,"
                             " wa_hi, uar, uar_lo, uar_hi FROM folders ORDER BY opened_at DESC"))) {
    error_ = QObject::tr("%1: cannot read the run history: %2").arg(file_, q.lastError().text());
    return out;
  }
  while (q.next()) {
    RunHistoryEntry e;
    e.path = q.value(0).toString();
    e.kind = q.value(1).toString() == QLatin1String("study") ? RunHistoryEntry::Kind::Study
                                                              : RunHistoryEntry::Kind::Run;
    e.name = q.value(2).toString();
    e.openedAt = QDateTime::fromString(q.value(3).toString(), Qt::ISODateWithMs);
    e.corpora = q.value(4).toString();
    e.protocol = q.value(5).toString();
    e.model = q.value(6).toString();
    e.n = q.value(7).toInt();
    e.wa = optionalDouble(q.value(8));
    e.waCi95 = optionalInterval(q.value(9), q.value(10));
    e.uar = optionalDouble(q.value(11));
    e.uarCi95 = optionalInterval(q.value(12), q.value(13));
    e.missing = !folderStillThere(e);
    out.push_back(e);
  }
  return out;
}

QVector<RunHistoryEntry> RunHistory::recent(int count) const {
  QVector<RunHistoryEntry> out;
  for (const RunHistoryEntry& e : entries()) {
    if (out.size() >= count) break;
    if (!e.missing) out.push_back(e);
  }
  return out;
}

}  // namespace ser
