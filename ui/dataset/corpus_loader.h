#pragma once
// Background helpers used by the main window and main(): scan corpora or write the demo corpus
// on a worker thread with a progress dialog (shown only when the work takes a while); errors are
// shown in a message box over `parent`, never thrown.
#include <functional>
#include <memory>
#include <vector>
#include <QString>

#include "core/corpus/corpus_spec.h"

class QWidget;

namespace ser {

class BackgroundJob;

// Scans `specs`; `done` runs in the GUI thread with the corpus on success only.
BackgroundJob* loadCorporaInBackground(QWidget* parent, const std::vector<CorpusSpec>& specs,
                                       CommonLabelPolicy policy,
                                       std::function<void(std::shared_ptr<const Corpus>)> done);

// The specs of the two demo corpora under `dir` (DIR/demo-acted, DIR/demo-crowd).
std::vector<CorpusSpec> demoCorpusSpecs(const QString& dir);
// True when both demo corpora exist under `dir` (their marker files are present).
bool demoCorpusExists(const QString& dir);

// Writes the demo corpus into `dir`; `done` runs in the GUI thread on success only.
BackgroundJob* makeDemoCorpusInBackground(QWidget* parent, const QString& dir, std::function<void()> done);

}  // namespace ser
