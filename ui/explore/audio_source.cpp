#include "ui/explore/audio_source.h"

#include <QAudioSource>
#include <QIODevice>
#include <QMediaDevices>
#include <cstring>

namespace ser {

IoDeviceAudioSource::IoDeviceAudioSource(QIODevice* device, int sampleRate,
                                         QAudioFormat::SampleFormat format, int channels, QObject* parent)
    : AudioSource(parent), device_(device), rate_(sampleRate), format_(format), channels_(std::max(1, channels)) {}

bool IoDeviceAudioSource::start(QString* error) {
  if (!device_ || !device_->isReadable()) {
    if (error) *error = tr("the audio stream is not open for reading");
    return false;
  }
  if (format_ != QAudioFormat::Int16 && format_ != QAudioFormat::Float) {
    if (error) *error = tr("unsupported sample format (16-bit or float expected)");
    return false;
  }
  running_ = true;
  partial_.clear();
  connect(device_, &QIODevice::readyRead, this, &IoDeviceAudioSource::readAvailable, Qt::UniqueConnection);
  readAvailable();
  return true;
}

void IoDeviceAudioSource::stop() {
  running_ = false;
  if (device_) disconnect(device_, nullptr, this, nullptr);
}

QVector<float> IoDeviceAudioSource::convert(const QByteArray& bytes) {
  partial_ += bytes;
  const int sampleBytes = format_ == QAudioFormat::Int16 ? 2 : 4;
  const int frameBytes = sampleBytes * channels_;
  const int frames = int(partial_.size()) / frameBytes;
  QVector<float> out(frames);
  const char* p = partial_.constData();
  for (int f = 0; f < frames; ++f) {
    float sum = 0.0f;
    for (int c = 0; c < channels_; ++c, p += sampleBytes) {
      if (format_ == QAudioFormat::Int16) {
        qint16 v;
        std::memcpy(&v, p, 2);
        sum += float(v) / 32768.0f;
      } else {
        float v;
        std::memcpy(&v, p, 4);
        sum += v;
      }
    }
    out[f] = sum / float(channels_);
  }
  partial_.remove(0, qsizetype(frames) * frameBytes);
  return out;
}

void IoDeviceAudioSource::readAvailable() {
  if (!running_ || !device_) return;
  const QByteArray bytes = device_->readAll();
  if (bytes.isEmpty()) return;
  const QVector<float> mono = convert(bytes);
  if (!mono.isEmpty()) emit samplesReady(mono);
}

MicrophoneSource::MicrophoneSource(const QAudioDevice& device, QObject* parent)
    : AudioSource(parent), device_(device) {}

MicrophoneSource::~MicrophoneSource() { stop(); }

QList<QAudioDevice> MicrophoneSource::devices() { return QMediaDevices::audioInputs(); }

int MicrophoneSource::sampleRate() const { return source_ ? source_->format().sampleRate() : 0; }

bool MicrophoneSource::start(QString* error) {
  stop();
  if (device_.isNull()) {
    if (error) *error = tr("no audio input device");
    return false;
  }
  QAudioFormat format = device_.preferredFormat();
  format.setChannelCount(1);
  if (!device_.isFormatSupported(format)) format.setChannelCount(device_.preferredFormat().channelCount());
  if (format.sampleFormat() != QAudioFormat::Float) format.setSampleFormat(QAudioFormat::Int16);
  if (!device_.isFormatSupported(format)) {
    format.setSampleFormat(QAudioFormat::Float);
    if (!device_.isFormatSupported(format)) {
      if (error) *error = tr("'%1' offers neither 16-bit nor float samples").arg(device_.description());
      return false;
    }
  }
  source_ = new QAudioSource(device_, format, this);
  QIODevice* io = source_->start();
  if (!io || source_->error() != QAudio::NoError) {
    if (error) *error = tr("'%1' could not be opened (error %2)").arg(device_.description()).arg(int(source_->error()));
    delete source_;
    source_ = nullptr;
    return false;
  }
  reader_ = new IoDeviceAudioSource(io, format.sampleRate(), format.sampleFormat(), format.channelCount(), this);
  connect(reader_, &AudioSource::samplesReady, this, &AudioSource::samplesReady);
  return reader_->start(error);
}

void MicrophoneSource::stop() {
  if (reader_) {
    reader_->stop();
    reader_->deleteLater();
    reader_ = nullptr;
  }
  if (source_) {
    source_->stop();
    source_->deleteLater();
    source_ = nullptr;
  }
}

}  // namespace ser
