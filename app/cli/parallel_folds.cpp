#include "app/cli/parallel_folds.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <thread>

#include "core/base/atomic_file.h"
#include "core/base/error.h"
#include "core/base/json_text.h"

extern char** environ;

namespace ser::cli {

namespace fs = std::filesystem;

namespace {

std::string selfExecutable() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("cannot find this program's path (/proc/self/exe): " + ec.message());
  return self.string();
}

fs::path jobFile(const fs::path& outDir, int fold) {
  return outDir / "jobs" / ("fold-" + std::to_string(fold) + ".json");
}
fs::path logFile(const fs::path& outDir, int fold) {
  return outDir / "jobs" / ("fold-" + std::to_string(fold) + ".log");
}

std::string lastLine(const fs::path& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

std::string statusText(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

std::vector<std::vector<std::string>> writeFoldJobs(const std::vector<FoldJob>& jobs, const fs::path& outDir) {
  std::error_code ec;
  fs::create_directories(outDir / "jobs", ec);
  if (ec) throw Error("cannot create folder '" + (outDir / "jobs").string() + "': " + ec.message());
  const std::string engine = selfExecutable();
  std::vector<std::vector<std::string>> commands;
  for (const FoldJob& job : jobs) {
    if (job.finished) {
      commands.emplace_back();
      continue;
    }
    const fs::path file = jobFile(outDir, job.fold);
    writeFileAtomic(file, dumpJson(toJson(job.experiment), 2) + "\n");
    std::vector<std::string> argv = {engine, "train", "--experiment", fs::absolute(file).string(),
                                     "--out", fs::absolute(job.dir).string(), "--quiet"};
    if (job.resume) argv.push_back("--resume");
    if (job.overwrite) argv.push_back("--overwrite");
    commands.push_back(std::move(argv));
  }
  return commands;
}

std::vector<FoldFailure> runFoldJobs(const std::vector<FoldJob>& jobs,
                                     const std::vector<std::vector<std::string>>& commands,
                                     const fs::path& outDir, int parallel, bool quiet, const CancelFlag& cancel) {
  using Clock = std::chrono::steady_clock;
  struct Running {
    int fold;
    Clock::time_point start;
  };
  std::map<pid_t, Running> running;
  std::vector<FoldFailure> failures;
  std::size_t next = 0;
  bool stopping = false;
  auto say = [quiet](const std::string& line) {
    if (!quiet) std::fprintf(stderr, "%s\n", line.c_str());
  };
  for (;;) {
    while (!stopping && int(running.size()) < parallel && next < jobs.size()) {
      const FoldJob& job = jobs[next];
      const std::vector<std::string>& argv = commands[next++];
      if (job.finished) continue;
      const std::string log = logFile(outDir, job.fold).string();
      posix_spawn_file_actions_t actions;
      posix_spawn_file_actions_init(&actions);
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      pid_t pid = 0;
      const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
      posix_spawn_file_actions_destroy(&actions);
      if (rc != 0) {
        failures.push_back({job.fold, std::string("cannot start ") + args[0] + ": " + std::strerror(rc)});
        continue;
      }
      running[pid] = {job.fold, Clock::now()};
      say("fold " + std::to_string(job.fold) + ": started (pid " + std::to_string(pid) + ", log " + log + ")");
    }
    if (running.empty()) break;
    if (!stopping && isCancelled(&cancel)) {
      stopping = true;
      for (const auto& [pid, r] : running) ::kill(pid, SIGINT);
    }
    int status = 0;
    const pid_t done = ::waitpid(-1, &status, WNOHANG);
    if (done <= 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    auto it = running.find(done);
    if (it == running.end()) continue;
    const Running r = it->second;
    running.erase(it);
    const double seconds = std::chrono::duration<double>(Clock::now() - r.start).count();
    char took[32];
    std::snprintf(took, sizeof took, "%.1f s", seconds);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      say("fold " + std::to_string(r.fold) + ": finished in " + took);
    } else {
      const fs::path log = logFile(outDir, r.fold);
      failures.push_back({r.fold, statusText(status) + " after " + took + ": " + lastLine(log) + " (log: " +
                                      log.string() + ")"});
      say("fold " + std::to_string(r.fold) + ": failed, " + failures.back().reason);
    }
  }
  return failures;
}

std::string shellCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                         "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

std::string slurmArrayScript(const std::vector<FoldJob>& jobs, const fs::path& outDir, int parallel,
                             int cpusPerTask) {
  std::string ids;
  for (const FoldJob& job : jobs)
    if (!job.finished) ids += (ids.empty() ? "" : ",") + std::to_string(job.fold);
  const fs::path out = fs::absolute(outDir);
  const std::string engine = selfExecutable();
  std::string s = "#!/bin/bash\n";
  s += "# One Slurm array task per unfinished fold of " + out.string() + "; submit with: sbatch SCRIPT\n";
  s += "#SBATCH --job-name=serwb-folds\n";
  s += "#SBATCH --array=" + (ids.empty() ? std::string("none") : ids) +
       (parallel > 0 ? "%" + std::to_string(parallel) : std::string()) + "\n";
  s += "#SBATCH --ntasks=1\n";
  if (cpusPerTask > 0) s += "#SBATCH --cpus-per-task=" + std::to_string(cpusPerTask) + "\n";
  s += "#SBATCH --output=" + (out / "jobs" / "fold-%a.log").string() + "\n";
  s += "fold=$SLURM_ARRAY_TASK_ID\n";
  s += "exec " + shellCommand({engine, "train"}) + " --experiment " + shellCommand({(out / "jobs").string()}) +
       "/fold-$fold.json --out " + shellCommand({out.string()}) + "/fold-$fold --overwrite --quiet" +
       (cpusPerTask > 0 ? " --threads " + std::to_string(cpusPerTask) : std::string()) + "\n";
  s += "# When every task has finished, aggregate the folds (finished folds are not rerun):\n";
  s += "#   " + shellCommand({engine, "train", "--experiment", (out / "experiment.json").string(), "--out",
                            out.string()}) + "\n";
  return s;
}

}  // namespace ser::cli
