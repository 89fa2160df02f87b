#include "app/cli/terminal_progress.h"

#include <unistd.h>

#include <cstdio>

namespace ser::cli {

TerminalProgress::TerminalProgress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled) {}

TerminalProgress::~TerminalProgress() { finish(); }

bool TerminalProgress::stdoutIsTerminal() { return ::isatty(STDOUT_FILENO) == 1; }

void TerminalProgress::progress(std::size_t done, std::size_t total, const std::string& item) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  constexpr int kWidth = 30;
  const double frac = total ? double(done) / double(total) : 0.0;
  const int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  std::string name = item;
  const auto slash = name.find_last_of('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  if (name.size() > 32) name = "..." + name.substr(name.size() - 29);
  std::fprintf(stderr, "\r\033[K%s [%s] %zu/%zu %3.0f%% %s", label_.c_str(), bar.c_str(), done, total,
               frac * 100.0, name.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void TerminalProgress::finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace ser::cli
