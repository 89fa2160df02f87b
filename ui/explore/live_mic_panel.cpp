#include "ui/explore/live_mic_panel.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/pipeline/clip_classifier.h"
#include "core/runs/run_record.h"
#include "ui/explore/audio_source.h"
#include "ui/explore/probability_history_view.h"

namespace ser {

LiveMicPanel::LiveMicPanel(QWidget* parent)
    : QWidget(parent), devices_(new QComboBox), refresh_(new QPushButton(tr("Refresh"))),
      startStop_(new QPushButton(tr("Start"))), message_(new QLabel), meter_(new QProgressBar),
      current_(new QLabel), chart_(new ProbabilityHistoryView) {
  meter_->setRange(0, 1000);
  meter_->setTextVisible(true);
  meter_->setFormat(tr("level"));
  meter_->setMaximumHeight(18);
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont big = current_->font();
  big.setPointSizeF(big.pointSizeF() * 1.8);
  big.setBold(true);
  current_->setFont(big);
  current_->setText(QStringLiteral("\u2014"));

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Input:")));
  bar->addWidget(devices_, 1);
  bar->addWidget(refresh_);
  bar->addWidget(startStop_);
  auto* level = new QHBoxLayout;
  level->addWidget(new QLabel(tr("Level:")));
  level->addWidget(meter_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(message_);
  layout->addLayout(level);
  layout->addWidget(current_);
  layout->addWidget(chart_, 1);

  connect(refresh_, &QPushButton::clicked, this, &LiveMicPanel::refreshDevices);
  connect(startStop_, &QPushButton::clicked, this, [this] {
    if (running_) stop(); else start();
  });
  refreshDevices();
}

LiveMicPanel::~LiveMicPanel() { stop(); }

void LiveMicPanel::setCheckpoint(const QString& path) {
  if (path == checkpoint_) return;
  stop();
  checkpoint_ = path;
  classifier_.reset();
}

void LiveMicPanel::setSource(AudioSource* source) {
  stop();
  external_ = source;
  refreshDevices();
}

int LiveMicPanel::deviceCount() const { return int(MicrophoneSource::devices().size()); }

void LiveMicPanel::refreshDevices() {
  devices_->clear();
  if (external_) {
    devices_->addItem(external_->name());
    devices_->setEnabled(false);
    startStop_->setEnabled(true);
    showMessage(tr("Input: %1.").arg(external_->name()), false);
    return;
  }
  const QList<QAudioDevice> inputs = MicrophoneSource::devices();
  for (const QAudioDevice& d : inputs) devices_->addItem(d.description(), QVariant::fromValue(d));
  devices_->setEnabled(!inputs.isEmpty());
  startStop_->setEnabled(!inputs.isEmpty());
  if (inputs.isEmpty())
    showMessage(tr("No audio input device found: Qt Multimedia lists none on this machine. Connect a "
                   "microphone (or check that the sound server, PulseAudio or PipeWire, is running), "
                   "then press Refresh."), true);
  else
    showMessage(tr("%n input device(s). Choose one and press Start.", nullptr, int(inputs.size())), false);
}

QString LiveMicPanel::message() const { return message_->text(); }

QStringList LiveMicPanel::labels() const {
  QStringList out;
  if (classifier_)
    for (const auto& l : classifier_->labels()) out << QString::fromStdString(l);
  return out;
}

void LiveMicPanel::showMessage(const QString& text, bool error) {
  message_->setText(text);
  message_->setStyleSheet(error ? QStringLiteral("color: #b03030") : QString());
}

bool LiveMicPanel::start() {
  if (running_) return true;
  if (checkpoint_.isEmpty()) {
    showMessage(tr("No model: open a network run (File > Open run folder) first."), true);
    return false;
  }
  try {
    if (!classifier_) classifier_ = std::make_unique<ClipClassifier>(checkpoint_.toStdString(), DeviceChoice::Cpu);
  } catch (const std::exception& e) {
    showMessage(QString::fromStdString(e.what()), true);
    return false;
  }
  active_ = external_;
  if (!active_) {
    if (devices_->count() == 0) {
      refreshDevices();
      return false;
    }
    device_ = new MicrophoneSource(devices_->currentData().value<QAudioDevice>(), this);
    active_ = device_;
  }
  connect(active_, &AudioSource::samplesReady, this, &LiveMicPanel::onSamples);
  QString error;
  // The ring is sized once the rate is known: start() may deliver samples at once.
  rate_ = 0;
  running_ = true;
  if (!active_->start(&error)) {
    running_ = false;
    disconnect(active_, nullptr, this, nullptr);
    showMessage(tr("Cannot start %1: %2").arg(active_->name(), error), true);
    if (device_) {
      device_->deleteLater();
      device_ = nullptr;
    }
    active_ = nullptr;
    return false;
  }
  history_.clear();
  chart_->setLabels(labels());
  startStop_->setText(tr("Stop"));
  showMessage(tr("Listening on %1: a prediction every %2 s over the last %3 s (model %4).")
                  .arg(active_->name())
                  .arg(kHopSeconds)
                  .arg(double(classifier_->windowSamples()) / classifier_->frontEnd().audio.sampleRate)
                  .arg(QFileInfo(checkpoint_).fileName()) +
                  (trainedOnSyntheticData(checkpoint_.toStdString())
                       ? tr(" The model was trained on SYNTHETIC demo data: it says nothing about real speech.")
                       : QString()),
              false);
  return true;
}

void LiveMicPanel::stop() {
  if (!running_) return;
  running_ = false;
  if (active_) {
    disconnect(active_, nullptr, this, nullptr);
    active_->stop();
  }
  if (device_) {
    device_->deleteLater();
    device_ = nullptr;
  }
  active_ = nullptr;
  startStop_->setText(tr("Start"));
  level_ = 0.0;
  meter_->setValue(0);
}

void LiveMicPanel::onSamples(const QVector<float>& mono) {
  if (!running_ || !active_ || mono.isEmpty()) return;
  if (rate_ != active_->sampleRate() || ring_.empty()) {
    rate_ = active_->sampleRate();
    const double seconds = double(classifier_->windowSamples()) / classifier_->frontEnd().audio.sampleRate;
    ring_.assign(std::size_t(std::lround(seconds * rate_)), 0.0f);
    ringPos_ = filled_ = sinceLast_ = 0;
    hop_ = std::size_t(std::lround(kHopSeconds * rate_));
  }
  double sum = 0.0;
  for (float v : mono) {
    sum += double(v) * v;
    ring_[ringPos_] = v;
    ringPos_ = (ringPos_ + 1) % ring_.size();
    filled_ = std::min(filled_ + 1, ring_.size());
    if (++sinceLast_ == hop_) {
      sinceLast_ = 0;
      predictNow();
    }
  }
  level_ = std::sqrt(sum / double(mono.size()));
  // The meter shows dBFS from -60 to 0, so quiet speech still moves it.
  const double db = level_ > 0 ? 20.0 * std::log10(level_) : -60.0;
  meter_->setValue(int(std::clamp((db + 60.0) / 60.0, 0.0, 1.0) * 1000));
  meter_->setFormat(tr("%1 dBFS").arg(std::max(db, -60.0), 0, 'f', 0));
  emit levelChanged(level_);
}

void LiveMicPanel::predictNow() {
  // The window in time order, zero-padded at the start until it has filled.
  std::vector<float> window(ring_.size(), 0.0f);
  for (std::size_t i = 0; i < ring_.size(); ++i) window[i] = ring_[(ringPos_ + i) % ring_.size()];
  try {
    std::vector<float> p = classifier_->classifySamples(window, rate_);
    history_.push_back(p);
    chart_->append(p);
    const auto best = std::max_element(p.begin(), p.end()) - p.begin();
    current_->setText(tr("%1  %2").arg(QString::fromStdString(classifier_->labels()[std::size_t(best)]))
                          .arg(p[std::size_t(best)], 0, 'f', 2));
    emit predicted(p);
  } catch (const std::exception& e) {
    showMessage(QString::fromStdString(e.what()), true);
  }
}

}  // namespace ser
