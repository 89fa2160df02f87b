#pragma once
// The live microphone: every half second of audio received, the model predicts the last window of
// its clip length (the training front end's fixed length; the start is zero-padded until the
// window fills). A level meter follows the RMS of each block received; the probabilities are drawn
// over time. Lists the input devices Qt Multimedia finds and says plainly when there is none.
// Audio comes through an AudioSource, so that a test can feed a synthetic signal (setSource).
#include <QPointer>
#include <QWidget>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace ser {

class AudioSource;
class ClipClassifier;
class ProbabilityHistoryView;

class LiveMicPanel : public QWidget {
  Q_OBJECT
 public:
  static constexpr double kHopSeconds = 0.5;

  explicit LiveMicPanel(QWidget* parent = nullptr);
  ~LiveMicPanel() override;

  void setCheckpoint(const QString& path);  // a network checkpoint; loaded on start()
  QString checkpoint() const { return checkpoint_; }
  // Uses `source` (not owned) instead of the device chosen in the list; null returns to devices.
  void setSource(AudioSource* source);
  void refreshDevices();

  bool start();  // false, with the reason shown in message(), when it cannot
  void stop();
  bool isRunning() const { return running_; }

  int deviceCount() const;
  QString message() const;                 // the status line (errors, "no input device")
  double level() const { return level_; }  // RMS of the last block, linear [0, 1]
  int predictionCount() const { return int(history_.size()); }
  const std::vector<std::vector<float>>& history() const { return history_; }
  QStringList labels() const;
  QProgressBar* levelMeter() const { return meter_; }

 signals:
  void predicted(const std::vector<float>& probabilities);
  void levelChanged(double rms);

 private:
  void onSamples(const QVector<float>& mono);
  void predictNow();
  void showMessage(const QString& text, bool error);

  QComboBox* devices_;
  QPushButton* refresh_;
  QPushButton* startStop_;
  QLabel* message_;
  QProgressBar* meter_;
  QLabel* current_;
  ProbabilityHistoryView* chart_;
  QString checkpoint_;
  QPointer<AudioSource> external_;
  AudioSource* device_ = nullptr;  // the microphone source we own, while running
  AudioSource* active_ = nullptr;
  std::unique_ptr<ClipClassifier> classifier_;
  std::vector<float> ring_;        // the last window, at the source's rate
  std::size_t ringPos_ = 0, filled_ = 0, sinceLast_ = 0, hop_ = 0;
  int rate_ = 0;
  double level_ = 0.0;
  bool running_ = false;
  std::vector<std::vector<float>> history_;
};

}  // namespace ser
