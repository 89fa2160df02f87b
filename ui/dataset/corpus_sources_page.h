#pragma once
// Wizard page 1: the corpora to load. Several at once; each row's reader is detected from the
// layout (Actor_XX folders -> RAVDESS, AudioWAV/ -> CREMA-D, .csv -> manifest) and can be changed.
// Recently used sources are remembered in QSettings.
#include <vector>
#include <QWizardPage>

#include "core/corpus/corpus_spec.h"

class QLabel;
class QMenu;
class QTableWidget;

namespace ser {

class CorpusSourcesPage : public QWizardPage {
  Q_OBJECT
 public:
  explicit CorpusSourcesPage(QWidget* parent = nullptr);

  // Adds a row with the detected reader; false (and no row) when the layout is not recognised.
  bool addPath(const QString& path);
  void addSource(CorpusReader reader, const QString& path);
  void removeSelected();
  int sourceCount() const;
  std::vector<CorpusSpec> specs() const;

  bool isComplete() const override;
  bool validatePage() override;  // checks every path exists; remembers them as recent

  static QStringList recentSources();  // "reader\tpath" entries, newest first

 private:
  void addFolderDialog();
  void addManifestDialog();
  void fillRecentMenu();

  QTableWidget* table_;
  QLabel* message_;
  QMenu* recentMenu_;
};

}  // namespace ser
