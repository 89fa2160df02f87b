#pragma once
// PNG files through libpng (8-bit RGB, no alpha), written atomically: a failed or interrupted
// write never leaves a partial image under the target name.
#include <string>

#include "core/image/spectrogram_image.h"

namespace ser {

// Encodes `image` (alpha ignored) as PNG bytes. Throws ser::Error for an empty image.
std::string encodePng(const ArgbImage& image);

// Writes `image` to `path` (temp file + rename). Throws ser::Error naming the path and the reason.
void writePng(const std::string& path, const ArgbImage& image);

// Decodes an 8-bit RGB or RGBA PNG (for tests and checks). Throws ser::Error naming `what`.
ArgbImage decodePng(const std::string& bytes, const std::string& what);

}  // namespace ser
