#pragma once
// The CLI's ProgressReporter: a one-line bar on stderr, drawn only when stdout is a terminal
// (and not in --json mode), redrawn at most ~10 times a second.
#include <chrono>
#include <string>

#include "core/base/progress.h"

namespace ser::cli {

class TerminalProgress : public ProgressReporter {
 public:
  TerminalProgress(std::string label, bool enabled);
  ~TerminalProgress() override;
  void progress(std::size_t done, std::size_t total, const std::string& item) override;
  void finish();  // clears the bar line

  // True when stdout is a terminal.
  static bool stdoutIsTerminal();

 private:
  std::string label_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace ser::cli
