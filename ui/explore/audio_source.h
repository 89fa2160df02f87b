#pragma once
// Live audio for the microphone view, behind a small interface so that a test can feed a known
// signal: AudioSource emits mono float blocks at sampleRate(). IoDeviceAudioSource reads PCM from
// any QIODevice as it becomes readable (a synthetic signal in tests); MicrophoneSource opens a Qt
// Multimedia input device (QAudioSource) and reads it the same way.
#include <QAudioDevice>
#include <QAudioFormat>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVector>

class QAudioSource;
class QIODevice;

namespace ser {

class AudioSource : public QObject {
  Q_OBJECT
 public:
  using QObject::QObject;
  virtual QString name() const = 0;
  virtual int sampleRate() const = 0;  // Hz; valid after start()
  // Starts delivering samplesReady(). Returns false with `error` set when it cannot.
  virtual bool start(QString* error) = 0;
  virtual void stop() = 0;

 signals:
  void samplesReady(const QVector<float>& mono);  // in [-1, 1], in arrival order
};

// Mono PCM (16-bit signed or 32-bit float, native byte order) read from `device` on readyRead.
class IoDeviceAudioSource : public AudioSource {
  Q_OBJECT
 public:
  // `device` is not owned; it must be open for reading when start() is called.
  IoDeviceAudioSource(QIODevice* device, int sampleRate, QAudioFormat::SampleFormat format,
                      int channels = 1, QObject* parent = nullptr);
  QString name() const override { return name_; }
  void setName(const QString& name) { name_ = name; }
  int sampleRate() const override { return rate_; }
  bool start(QString* error) override;
  void stop() override;
  // Converts raw bytes to mono floats (channels averaged); a partial frame is kept for next time.
  QVector<float> convert(const QByteArray& bytes);

 private:
  void readAvailable();

  QPointer<QIODevice> device_;
  int rate_;
  QAudioFormat::SampleFormat format_;
  int channels_;
  QString name_ = QStringLiteral("signal");
  QByteArray partial_;
  bool running_ = false;
};

// A microphone through Qt Multimedia. The device's preferred rate, 16-bit or float samples,
// mono when the device allows it.
class MicrophoneSource : public AudioSource {
  Q_OBJECT
 public:
  explicit MicrophoneSource(const QAudioDevice& device, QObject* parent = nullptr);
  ~MicrophoneSource() override;
  QString name() const override { return device_.description(); }
  int sampleRate() const override;
  bool start(QString* error) override;
  void stop() override;

  // The input devices Qt Multimedia lists (may be empty).
  static QList<QAudioDevice> devices();

 private:
  QAudioDevice device_;
  QAudioSource* source_ = nullptr;
  IoDeviceAudioSource* reader_ = nullptr;
};

}  // namespace ser
