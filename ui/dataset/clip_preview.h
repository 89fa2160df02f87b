#pragma once
// Preview of one clip: waveform, log-mel spectrogram and playback. Clips are decoded and analysed
// on a worker thread; while one loads, further requests collapse into the latest one.
#include <memory>
#include <optional>
#include <QPointer>
#include <QWidget>

#include "core/audio/audio_file.h"
#include "core/corpus/clip.h"
#include "ui/common/background_job.h"

class QLabel;
class QToolButton;

namespace ser {

class ClipPlayer;
class SpectrogramView;
class WaveformView;

class ClipPreview : public QWidget {
  Q_OBJECT
 public:
  explicit ClipPreview(QWidget* parent = nullptr);
  ~ClipPreview() override;

  void showClip(const Clip& clip);  // starts loading; the views update when it is done
  void clear();

  void togglePlayback();  // play from the playhead (or the start) / stop
  bool isPlaying() const;
  bool isLoading() const { return bool(job_); }

  WaveformView* waveformView() const { return waveform_; }
  SpectrogramView* spectrogramView() const { return spectrogram_; }
  ClipPlayer* player() const { return player_; }
  std::shared_ptr<const MonoAudio> audio() const { return audio_; }
  QString detailsText() const;  // corpus, duration, rate, channels and path of the loaded clip
  QString clipPath() const { return path_; }  // the clip shown or loading; "" after clear()

 signals:
  void clipLoaded(const QString& path);
  void loadFailed(const QString& path, const QString& message);
  void statusMessage(const QString& message);  // for the main window's status bar

 private:
  void startLoad(const Clip& clip);
  void seek(double seconds);
  void setPlayhead(double seconds);
  void updatePlayButton();

  QLabel* title_;
  QLabel* details_;
  QToolButton* playButton_;
  WaveformView* waveform_;
  SpectrogramView* spectrogram_;
  ClipPlayer* player_;
  QPointer<BackgroundJob> job_;
  std::optional<Clip> pending_;
  QString path_;  // the clip asked for last; a load that finishes for another one is not shown
  std::shared_ptr<const MonoAudio> audio_;
  double playhead_ = 0.0;
};

}  // namespace ser
