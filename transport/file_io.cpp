#include "transport/file_io.hpp"

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

namespace transport {

lockcore::Result<void, int> write_file_atomically(const std::filesystem::path& path,
                                                  std::string_view content, mode_t mode) {
  // Built by appending: GCC 12's -Wrestrict misfires on "literal" + std::string at -O3.
  std::string name = ".";
  name.append(path.filename().string()).append(".tmp").append(std::to_string(::getpid()));
  const std::filesystem::path temp = path.parent_path() / name;
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return lockcore::fail(errno);
  int error = 0;
  if (::fchmod(fd, mode) != 0) error = errno;
  std::size_t written = 0;
  while (error == 0 && written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      error = errno;
    else
      written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    return lockcore::fail(error);
  }
  return {};
}

std::string read_file_from(const std::filesystem::path& path, std::uintmax_t offset) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  in.seekg(static_cast<std::streamoff>(offset));
  if (!in) return {};
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace transport
