#pragma once
// Atomic file writes: data goes to a temporary file in the same folder, is flushed, then renamed
// over the target. A crash or cancellation leaves either the old file or the new one, never half.
#include <cstddef>
#include <filesystem>
#include <string>

namespace ser {

// Throws ser::Error naming the path and the reason on failure.
void writeFileAtomic(const std::filesystem::path& path, const void* data, std::size_t size);
void writeFileAtomic(const std::filesystem::path& path, const std::string& text);

// Reads a whole file; throws ser::Error naming the path when it cannot be read.
std::string readFile(const std::filesystem::path& path);

}  // namespace ser
