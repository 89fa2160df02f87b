#pragma once
// Atomic file writes: data goes to a temporary file in the same folder, is flushed, then renamed
// over the target. A crash or cancellation leaves either the old file or the new one, never half.
#include <cstddef>
#include <filesystem>
#include <string>

namespace ser {

// Synced (default): the data reaches the disk (fsync) before the rename, so the new file survives
// a power loss. Unsynced: the rename alone, for re-computable data such as cache entries (a crash
// can leave an empty or partial file, which their readers must detect; never a mix of two writes).
enum class Durability { Synced, Unsynced };

// Throws ser::Error naming the path and the reason on failure.
void writeFileAtomic(const std::filesystem::path& path, const void* data, std::size_t size,
                     Durability durability = Durability::Synced);
void writeFileAtomic(const std::filesystem::path& path, const std::string& text,
                     Durability durability = Durability::Synced);

// Reads a whole file; throws ser::Error naming the path when it cannot be read.
std::string readFile(const std::filesystem::path& path);

}  // namespace ser
