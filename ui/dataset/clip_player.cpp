#include "ui/dataset/clip_player.h"

#include <algorithm>
#include <cmath>
#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QMediaDevices>

#include "core/audio/resampler.h"

namespace ser {

ClipPlayer::ClipPlayer(QObject* parent) : QObject(parent) {
  timer_.setInterval(30);
  connect(&timer_, &QTimer::timeout, this, &ClipPlayer::emitPosition);
}

ClipPlayer::~ClipPlayer() {
  if (sink_) {
    sink_->disconnect(this);
    sink_->stop();
    delete sink_;
  }
}

bool ClipPlayer::play(std::shared_ptr<const MonoAudio> audio, double fromSeconds) {
  stop();
  if (!audio || audio->samples.empty() || audio->sampleRate <= 0) {
    emit errorOccurred(tr("Nothing to play: the clip holds no audio."));
    return false;
  }
  const QAudioDevice device = QMediaDevices::defaultAudioOutput();
  if (device.isNull()) {
    emit errorOccurred(tr("No audio output device is available; playback is disabled."));
    return false;
  }

  QAudioFormat format;
  format.setSampleRate(audio->sampleRate);
  format.setChannelCount(1);
  format.setSampleFormat(QAudioFormat::Int16);
  const std::vector<float>* samples = &audio->samples;
  std::vector<float> resampled;
  if (!device.isFormatSupported(format)) {
    const int rate = device.preferredFormat().sampleRate();
    format.setSampleRate(rate);
    if (rate <= 0 || !device.isFormatSupported(format)) {
      emit errorOccurred(tr("The audio device '%1' cannot play mono 16-bit audio.").arg(device.description()));
      return false;
    }
    Resampler resampler(rate);
    resampled = resampler.process(audio->samples, audio->sampleRate);
    samples = &resampled;
  }

  const int rate = format.sampleRate();
  const std::size_t first = std::min(samples->size(),
                                     std::size_t(std::max(0.0, fromSeconds) * rate));
  pcm_.resize(qsizetype((samples->size() - first) * sizeof(qint16)));
  auto* out = reinterpret_cast<qint16*>(pcm_.data());
  for (std::size_t i = first; i < samples->size(); ++i)
    *out++ = qint16(std::lround(std::clamp((*samples)[i], -1.0f, 1.0f) * 32767.0f));
  if (pcm_.isEmpty()) return false;

  buffer_.close();
  buffer_.setData(pcm_);
  buffer_.open(QIODevice::ReadOnly);
  offsetSeconds_ = double(first) / rate;
  bytesPerSecond_ = rate * int(sizeof(qint16));

  sink_ = new QAudioSink(device, format, this);
  connect(sink_, &QAudioSink::stateChanged, this, &ClipPlayer::onStateChanged);
  sink_->start(&buffer_);
  if (sink_->error() != QAudio::NoError) {
    const auto code = sink_->error();
    stop();
    emit errorOccurred(code == QAudio::OpenError
                           ? tr("The audio device '%1' could not be opened.").arg(device.description())
                           : tr("Audio output failed on '%1'.").arg(device.description()));
    return false;
  }
  timer_.start();
  emit started();
  emit positionChanged(offsetSeconds_);
  return true;
}

void ClipPlayer::stop() {
  if (!sink_) return;
  timer_.stop();
  QAudioSink* sink = sink_;
  sink_ = nullptr;
  sink->disconnect(this);
  sink->stop();
  sink->deleteLater();
  buffer_.close();
  emit stopped();
}

void ClipPlayer::onStateChanged() {
  if (!sink_) return;
  const QAudio::State state = sink_->state();
  const QAudio::Error error = sink_->error();
  if (state == QAudio::IdleState && buffer_.atEnd()) {
    stop();  // played to the end
  } else if (state == QAudio::StoppedState && error != QAudio::NoError) {
    stop();
    emit errorOccurred(tr("Audio playback stopped with an error (%1).").arg(int(error)));
  }
}

void ClipPlayer::emitPosition() {
  if (!sink_ || bytesPerSecond_ <= 0) return;
  emit positionChanged(offsetSeconds_ + double(sink_->processedUSecs()) / 1e6);
}

}  // namespace ser
