#include "core/pipeline/output_folder.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "core/base/error.h"

namespace ser {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPartialTag = ".serwb-partial-";
constexpr const char* kOldTag = ".serwb-old-";

const char* const kResultFiles[] = {"config.json", "experiment.json", "metrics.json",
                                    "predictions.csv", "curves.csv", "best.ckpt", "last.ckpt",
                                    "model.svm", "table.json", "table.md"};

bool hasResultFile(const fs::path& dir) {
  std::error_code ec;
  for (const char* f : kResultFiles)
    if (fs::exists(dir / f, ec)) return true;
  return false;
}

bool isInput(const std::vector<std::string>& inputs, const std::string& name) {
  return std::find(inputs.begin(), inputs.end(), name) != inputs.end();
}

bool allDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A process id that no running process has (so what it left behind is stale).
bool deadProcess(const std::string& pidText) {
  if (!allDigits(pidText) || pidText.size() > 9) return false;
  const long pid = std::strtol(pidText.c_str(), nullptr, 10);
  if (pid <= 0 || pid == long(::getpid())) return false;
  return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

// "<name>" + tag + "<pid>" -> the pid text, or "" when `entry` is not of that form.
std::string pidAfter(const std::string& entry, const std::string& prefix) {
  return entry.rfind(prefix, 0) == 0 ? entry.substr(prefix.size()) : std::string();
}

std::string nonEmptyName(const fs::path& dir) {
  const fs::path clean = dir.lexically_normal();
  std::string name = clean.filename().string();
  if (name.empty()) name = clean.parent_path().filename().string();
  return name;
}

}  // namespace

bool holdsResult(const fs::path& dir, const std::vector<std::string>& inputs) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  if (hasResultFile(dir)) return true;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (isInput(inputs, name)) continue;
    std::error_code typeEc;
    if (it->is_directory(typeEc) && hasResultFile(it->path())) return true;
  }
  return false;
}

std::vector<std::string> removeStaleTemporaries(const fs::path& dir) {
  std::vector<std::string> removed;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    // "<target>.tmp.<pid>.<counter>" (core/base/atomic_file.cpp).
    const std::size_t tmp = name.rfind(".tmp.");
    if (tmp == std::string::npos) continue;
    const std::string rest = name.substr(tmp + 5);
    const std::size_t dot = rest.find('.');
    if (dot == std::string::npos || !allDigits(rest.substr(dot + 1))) continue;
    std::error_code typeEc;
    if (!it->is_regular_file(typeEc) || !deadProcess(rest.substr(0, dot))) continue;
    std::error_code rmEc;
    if (fs::remove(it->path(), rmEc)) removed.push_back(name);
  }
  const std::string name = nonEmptyName(dir);
  const fs::path parent = dir.lexically_normal().has_filename()
                              ? dir.lexically_normal().parent_path()
                              : dir.lexically_normal().parent_path().parent_path();
  const fs::path scanIn = parent.empty() ? fs::path(".") : parent;
  for (fs::directory_iterator it(scanIn, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string entry = it->path().filename().string();
    const std::string pid = pidAfter(entry, name + kPartialTag);
    if (pid.empty() || !deadProcess(pid)) continue;
    std::error_code rmEc;
    if (fs::remove_all(it->path(), rmEc) > 0 && !rmEc) removed.push_back(entry);
  }
  return removed;
}

OutputFolder::OutputFolder(fs::path dir, const OutputFolderPolicy& policy, const std::string& what)
    : dir_(std::move(dir)), workDir_(dir_), inputs_(policy.inputs) {
  if (dir_.empty()) throw Error("no output folder given for the " + what);
  if (policy.resume && policy.overwrite)
    throw Error("--resume and --overwrite exclude each other: resume continues the " + what +
                " in '" + dir_.string() + "', overwrite replaces it");
  std::error_code ec;
  const std::string name = nonEmptyName(dir_);
  const fs::path parent = fs::absolute(dir_, ec).lexically_normal().parent_path();
  // A command killed between the two renames of commit() left the old folder aside: put it back.
  if (!fs::exists(dir_, ec)) {
    for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string pid = pidAfter(it->path().filename().string(), name + kOldTag);
      if (pid.empty() || !deadProcess(pid)) continue;
      std::error_code mvEc;
      fs::rename(it->path(), dir_, mvEc);
      break;
    }
  }
  if (fs::exists(dir_, ec) && !fs::is_directory(dir_, ec))
    throw Error("output folder '" + dir_.string() + "' is a file, not a folder");
  if (fs::exists(dir_, ec)) removed_ = removeStaleTemporaries(dir_);
  const bool holds = holdsResult(dir_, inputs_);
  if (policy.resume || !holds) return;  // written in place
  if (!policy.overwrite)
    throw Error("output folder '" + dir_.string() + "' already holds a " +
                (what == "study" ? std::string("study or run") : std::string("run or evaluation")) +
                ": give --overwrite to replace it" +
                (what == "run" ? std::string(", --resume to continue it,") : std::string()) +
                " or choose another --out");
  workDir_ = parent / (name + kPartialTag + std::to_string(::getpid()));
  fs::remove_all(workDir_, ec);
  fs::create_directories(workDir_, ec);
  if (ec)
    throw Error("cannot create folder '" + workDir_.string() + "' for the new " + what + ": " +
                ec.message());
}

OutputFolder::~OutputFolder() {
  if (!replacing() || committed_) return;
  std::error_code ec;
  fs::remove_all(workDir_, ec);
}

void OutputFolder::commit() {
  if (!replacing() || committed_) return;
  std::error_code ec;
  // Inputs kept in the old folder (demo corpora) move into the new one first.
  for (const std::string& input : inputs_) {
    if (!fs::exists(dir_ / input, ec) || fs::exists(workDir_ / input, ec)) continue;
    fs::rename(dir_ / input, workDir_ / input, ec);
    if (ec)
      throw Error("cannot move '" + (dir_ / input).string() + "' into the new folder: " + ec.message());
  }
  const fs::path old = workDir_.parent_path() /
                       (nonEmptyName(dir_) + kOldTag + std::to_string(::getpid()));
  fs::remove_all(old, ec);
  fs::rename(dir_, old, ec);
  if (ec) throw Error("cannot replace '" + dir_.string() + "': " + ec.message());
  fs::rename(workDir_, dir_, ec);
  if (ec) {
    const std::string reason = ec.message();
    std::error_code back;
    fs::rename(old, dir_, back);
    throw Error("cannot replace '" + dir_.string() + "': " + reason);
  }
  committed_ = true;
  fs::remove_all(old, ec);
}

}  // namespace ser
