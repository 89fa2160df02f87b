#pragma once
// The folder a command writes its results into (a run, an evaluation, a study), kept safe:
// finished work is never destroyed by accident.
//   - A folder that does not exist, is empty, or holds no serwb result is written in place.
//   - A folder that holds a result (see holdsResult) is refused, unless the caller resumes it
//     (written in place) or overwrites it: then the new result is written into a sibling folder
//     "<name>.serwb-partial-<pid>" and swapped in with renames by commit(); the old folder is
//     removed only after the swap. A failure, a cancellation or a kill leaves the old folder as
//     it was (the partial sibling is removed by the destructor, or by the next command there).
#include <filesystem>
#include <string>
#include <vector>

namespace ser {

struct OutputFolderPolicy {
  bool resume = false;     // continue the result in the folder (written in place)
  bool overwrite = false;  // replace a result in the folder, as a whole
  // Entries of the folder that are inputs, not results (reproduce's "demo-corpora"): they do not
  // make the folder hold a result, and commit() moves them into the replacement.
  std::vector<std::string> inputs;
};

// The files that mark a folder (or one of its sub-folders, for a study) as holding a result.
bool holdsResult(const std::filesystem::path& dir, const std::vector<std::string>& inputs = {});

// Removes what killed writes left in `dir`: atomic-write temporaries "*.tmp.<pid>.<n>" (see
// core/base/atomic_file.h) and "<name>.serwb-partial-<pid>" folders beside it, whose process
// is no longer running. Returns the names removed.
std::vector<std::string> removeStaleTemporaries(const std::filesystem::path& dir);

class OutputFolder {
 public:
  // `what` names the result in messages ("run", "evaluation", "study"). Throws ser::Error when
  // the folder holds a result and the policy allows neither resuming nor overwriting it.
  OutputFolder(std::filesystem::path dir, const OutputFolderPolicy& policy, const std::string& what);
  ~OutputFolder();  // without commit(): removes the partial replacement, the old folder stays
  OutputFolder(const OutputFolder&) = delete;
  OutputFolder& operator=(const OutputFolder&) = delete;

  const std::filesystem::path& dir() const { return dir_; }          // where the result ends up
  const std::filesystem::path& workDir() const { return workDir_; }  // where to write it now
  bool replacing() const { return workDir_ != dir_; }
  const std::vector<std::string>& removed() const { return removed_; }  // stale temporaries

  // Puts the result in place (a no-op when writing in place). Throws ser::Error when a rename
  // fails; the old folder is then back in place.
  void commit();

 private:
  std::filesystem::path dir_;
  std::filesystem::path workDir_;
  std::vector<std::string> inputs_;
  std::vector<std::string> removed_;
  bool committed_ = false;
};

}  // namespace ser
