#include "ui/dataset/clip_preview.h"

#include <algorithm>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/features/log_mel.h"
#include "ui/common/background_job.h"
#include "ui/common/view_export.h"
#include "ui/dataset/clip_player.h"
#include "ui/dataset/spectrogram_view.h"
#include "ui/dataset/waveform_view.h"

namespace ser {
namespace {

struct LoadedClip {
  std::shared_ptr<MonoAudio> audio = std::make_shared<MonoAudio>();
  FeatureMatrix logMel;
  double hopSeconds = 0.01;
  double fMax = 8000.0;
  int channels = 0;  // from the file header: a clip built from a run's predictions has none
  QString spectrogramError;
};

QString describe(const Clip& c) {
  QString common = c.common.empty() ? QStringLiteral("no common label")
                                    : QStringLiteral("common: ") + QString::fromStdString(c.common);
  return QStringLiteral("%1  \u00b7  %2  \u00b7  %3 (%4)")
      .arg(QString::fromStdString(c.speaker), QString::fromStdString(toString(c.sex)),
           QString::fromStdString(c.emotion), common);
}

}  // namespace

ClipPreview::ClipPreview(QWidget* parent)
    : QWidget(parent),
      title_(new QLabel(tr("No clip selected"), this)),
      details_(new QLabel(this)),
      playButton_(new QToolButton(this)),
      waveform_(new WaveformView(this)),
      spectrogram_(new SpectrogramView(this)),
      player_(new ClipPlayer(this)) {
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  details_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  details_->setStyleSheet(QStringLiteral("color: palette(dark);"));
  playButton_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  playButton_->setAutoRaise(false);
  playButton_->setMinimumWidth(84);
  playButton_->setToolTip(tr("Play or stop the clip (Space)"));
  playButton_->setEnabled(false);

  auto* header = new QHBoxLayout;
  header->addWidget(playButton_);
  auto* text = new QVBoxLayout;
  text->setSpacing(0);
  text->addWidget(title_);
  text->addWidget(details_);
  header->addLayout(text, 1);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addLayout(header);
  layout->addWidget(waveform_, 2);
  layout->addWidget(spectrogram_, 3);
  updatePlayButton();

  installExportAction(waveform_, QStringLiteral("waveform"));
  installExportAction(spectrogram_, QStringLiteral("spectrogram"));

  connect(playButton_, &QToolButton::clicked, this, &ClipPreview::togglePlayback);
  connect(waveform_, &WaveformView::seekRequested, this, &ClipPreview::seek);
  connect(spectrogram_, &SpectrogramView::seekRequested, this, &ClipPreview::seek);
  connect(player_, &ClipPlayer::positionChanged, this, &ClipPreview::setPlayhead);
  connect(player_, &ClipPlayer::started, this, &ClipPreview::updatePlayButton);
  connect(player_, &ClipPlayer::stopped, this, [this] {
    updatePlayButton();
    if (audio_ && playhead_ >= audio_->seconds() - 0.05) setPlayhead(0.0);
  });
  connect(player_, &ClipPlayer::errorOccurred, this, [this](const QString& message) {
    emit statusMessage(message);
    details_->setText(message);
    updatePlayButton();
  });
}

ClipPreview::~ClipPreview() {
  // The job's destructor cancels and joins its worker before our members go away.
  delete job_.data();
}

bool ClipPreview::isPlaying() const { return player_->isPlaying(); }

QString ClipPreview::detailsText() const { return details_->text(); }

void ClipPreview::clear() {
  player_->stop();
  pending_.reset();
  path_.clear();
  audio_.reset();
  title_->setText(tr("No clip selected"));
  details_->clear();
  waveform_->setMessage(tr("Select a clip to see its waveform"));
  spectrogram_->setMessage(tr("Select a clip to see its log-mel spectrogram"));
  updatePlayButton();
}

void ClipPreview::showClip(const Clip& clip) {
  player_->stop();
  path_ = QString::fromStdString(clip.path);
  if (job_) {
    pending_ = clip;  // picked up when the running load finishes
    return;
  }
  startLoad(clip);
}

void ClipPreview::startLoad(const Clip& clip) {
  audio_.reset();
  playhead_ = 0.0;
  title_->setText(describe(clip));
  details_->setText(tr("Loading %1 ...").arg(QFileInfo(QString::fromStdString(clip.path)).fileName()));
  updatePlayButton();

  auto result = std::make_shared<LoadedClip>();
  const std::string path = clip.path;
  auto* job = new BackgroundJob([result, path](ProgressReporter&, const CancelFlag& cancel) {
    *result->audio = loadMono(path);
    result->channels = readAudioInfo(path).channels;
    if (cancel.cancelled()) return;
    const int rate = result->audio->sampleRate;
    try {
      LogMelParams params;
      params.stft.sampleRate = rate;
      params.mel.nMels = 80;
      params.mel.fMax = std::min(8000.0, rate / 2.0);
      const LogMel logMel(params);
      result->logMel = logMel.compute(result->audio->samples);
      result->hopSeconds = params.stft.hopLength() / double(rate);
      result->fMax = params.mel.fMax;
    } catch (const std::exception& e) {
      result->spectrogramError = QString::fromStdString(e.what());
    }
  }, this);
  job->setAutoDelete(true);
  job_ = job;
  const QString qpath = QString::fromStdString(clip.path);
  const Clip shown = clip;
  connect(job, &BackgroundJob::succeeded, this, [this, result, qpath, shown] {
    if (path_ != qpath) return;  // cleared, or another clip asked for, while this one loaded
    audio_ = result->audio;
    waveform_->setAudio(audio_);
    if (result->spectrogramError.isEmpty())
      spectrogram_->setSpectrogram(result->logMel, result->hopSeconds, 0.0, result->fMax);
    else
      spectrogram_->setMessage(tr("No spectrogram: %1").arg(result->spectrogramError));
    details_->setText(tr("%1  \u00b7  %2 s  \u00b7  %3 Hz  \u00b7  %4 ch  \u00b7  %5")
                          .arg(QString::fromStdString(shown.corpus))
                          .arg(audio_->seconds(), 0, 'f', 2)
                          .arg(audio_->sampleRate)
                          .arg(shown.channels > 0 ? shown.channels : result->channels)
                          .arg(qpath));
    updatePlayButton();
    emit clipLoaded(qpath);
  });
  connect(job, &BackgroundJob::failed, this, [this, qpath](const QString& message) {
    if (path_ != qpath) return;
    waveform_->setMessage(tr("Cannot load this clip:\n%1").arg(message));
    spectrogram_->setMessage(QString());
    details_->setText(message);
    emit statusMessage(message);
    emit loadFailed(qpath, message);
  });
  connect(job, &BackgroundJob::finished, this, [this] {
    job_ = nullptr;
    if (pending_) {
      const Clip next = *pending_;
      pending_.reset();
      startLoad(next);
    }
  });
  job->start();
}

void ClipPreview::togglePlayback() {
  if (player_->isPlaying()) {
    player_->stop();
    return;
  }
  if (!audio_) return;
  const double from = playhead_ < audio_->seconds() - 0.05 ? playhead_ : 0.0;
  player_->play(audio_, from);
}

void ClipPreview::seek(double seconds) {
  setPlayhead(seconds);
  if (player_->isPlaying()) player_->play(audio_, seconds);
}

void ClipPreview::setPlayhead(double seconds) {
  playhead_ = seconds;
  waveform_->setPlayhead(seconds);
  spectrogram_->setPlayhead(seconds);
}

void ClipPreview::updatePlayButton() {
  const bool playing = player_->isPlaying();
  playButton_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
  playButton_->setText(playing ? tr("Stop") : tr("Play"));
  playButton_->setEnabled(playing || audio_ != nullptr);
}

}  // namespace ser
