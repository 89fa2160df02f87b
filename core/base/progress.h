#pragma once
// The engine's progress and cancellation interface. Long work (scan, preprocess, train) reports
// through a ProgressReporter and polls a CancelFlag between units of work (files, batches).
// The CLI implements the reporter with a terminal bar; the GUI with a signal-emitting adapter.
#include <atomic>
#include <cstddef>
#include <string>

namespace ser {

class ProgressReporter {
 public:
  virtual ~ProgressReporter() = default;
  // `done` of `total` units finished; `item` names the unit just finished (a file path, "epoch 3").
  // Called from worker threads, but never concurrently: the engine serialises the calls.
  // Must return quickly; must not throw.
  virtual void progress(std::size_t done, std::size_t total, const std::string& item) = 0;
};

// Cooperative cancellation: set from any thread, polled by workers between units of work.
class CancelFlag {
 public:
  void cancel() { flag_.store(true, std::memory_order_relaxed); }
  void reset() { flag_.store(false, std::memory_order_relaxed); }
  bool cancelled() const { return flag_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> flag_{false};
};

// Null-safe helpers for the optional pointers the engine takes.
inline bool isCancelled(const CancelFlag* flag) { return flag && flag->cancelled(); }

}  // namespace ser
