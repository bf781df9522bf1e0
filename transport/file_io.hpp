#pragma once
// Small file helpers for the broker config directory. Internal to transport/.

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>

#include "lockcore/result.hpp"

namespace transport {

// Writes `content` to a temporary file beside `path` with exactly `mode` (umask ignored), then
// renames it over `path`, so a reader never sees half a file. Returns errno on failure.
lockcore::Result<void, int> write_file_atomically(const std::filesystem::path& path,
                                                  std::string_view content, mode_t mode);

// Everything from byte `offset` to the end (empty when the file is missing or shorter).
std::string read_file_from(const std::filesystem::path& path, std::uintmax_t offset);

}  // namespace transport
