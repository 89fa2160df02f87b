#include "core/image/png_writer.h"

#include <png.h>

#include <cstring>
#include <vector>

#include "core/base/atomic_file.h"
#include "core/base/error.h"

namespace ser {

std::string encodePng(const ArgbImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != std::size_t(image.width) * std::size_t(image.height))
    throw Error("PNG: the image is empty or its pixel count does not match its size");
  std::vector<png_byte> rgb(std::size_t(image.width) * std::size_t(image.height) * 3);
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    const std::uint32_t p = image.pixels[i];
    rgb[3 * i] = png_byte((p >> 16) & 0xff);
    rgb[3 * i + 1] = png_byte((p >> 8) & 0xff);
    rgb[3 * i + 2] = png_byte(p & 0xff);
  }
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = png_uint_32(image.width);
  png.height = png_uint_32(image.height);
  png.format = PNG_FORMAT_RGB;
  png_alloc_size_t size = 0;
  // First call sizes the buffer, second fills it (libpng's simplified API).
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, rgb.data(), 0, nullptr))
    throw Error(std::string("PNG: cannot encode: ") + png.message);
  std::string out(size, '\0');
  if (!png_image_write_to_memory(&png, out.data(), &size, 0, rgb.data(), 0, nullptr))
    throw Error(std::string("PNG: cannot encode: ") + png.message);
  out.resize(size);
  return out;
}

void writePng(const std::string& path, const ArgbImage& image) {
  std::string bytes;
  try {
    bytes = encodePng(image);
  } catch (const Error& e) {
    throw Error("Cannot write " + path + ": " + e.what());
  }
  // Re-computable output: no fsync per image (thousands of clips).
  writeFileAtomic(path, bytes, Durability::Unsynced);
}

ArgbImage decodePng(const std::string& bytes, const std::string& what) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size()))
    throw Error(what + ": not a readable PNG: " + png.message);
  png.format = PNG_FORMAT_RGB;
  std::vector<png_byte> rgb(PNG_IMAGE_SIZE(png));
  if (!png_image_finish_read(&png, nullptr, rgb.data(), 0, nullptr)) {
    png_image_free(&png);
    throw Error(what + ": cannot decode the PNG: " + png.message);
  }
  ArgbImage out;
  out.width = int(png.width);
  out.height = int(png.height);
  out.pixels.resize(std::size_t(out.width) * std::size_t(out.height));
  for (std::size_t i = 0; i < out.pixels.size(); ++i)
    out.pixels[i] = 0xff000000u | (std::uint32_t(rgb[3 * i]) << 16) | (std::uint32_t(rgb[3 * i + 1]) << 8) |
                    std::uint32_t(rgb[3 * i + 2]);
  return out;
}

}  // namespace ser
