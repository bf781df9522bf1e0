#include "transport/credentials_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "transport/file_io.hpp"

namespace transport {

namespace {

constexpr std::size_t kMaxLoginLength = 200;
constexpr std::size_t kMaxPasswordLength = 256;
constexpr off_t kMaxFileBytes = 16 * 1024 * 1024;

bool is_login_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-' || c == '/';
}

lockcore::Failure<CredentialsError> error(CredentialsErrorCode code, std::size_t line = 0,
                                          int sys_errno = 0) {
  return lockcore::fail(CredentialsError{code, line, sys_errno});
}

// Closes the descriptor on every path out of the reader.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

bool is_valid_login(std::string_view login) {
  if (login.empty() || login.size() > kMaxLoginLength) return false;
  if (login.front() == '/' || login.back() == '/') return false;
  if (login.find("//") != std::string_view::npos) return false;
  for (char c : login) {
    if (!is_login_char(c)) return false;
  }
  return true;
}

bool is_valid_password(std::string_view password) {
  if (password.empty() || password.size() > kMaxPasswordLength) return false;
  for (char c : password) {
    if (c <= ' ' || c > '~') return false;
  }
  return true;
}

bool Credentials::add(std::string login, std::string password) {
  if (!is_valid_login(login) || !is_valid_password(password)) return false;
  return entries_.emplace(std::move(login), std::move(password)).second;
}

std::optional<std::string_view> Credentials::password_for(std::string_view login) const {
  auto found = entries_.find(login);
  if (found == entries_.end()) return std::nullopt;
  return std::string_view(found->second);
}

std::string describe(const CredentialsError& e) {
  std::string text;
  switch (e.code) {
    case CredentialsErrorCode::cannot_open:
      text = "cannot open the credentials file";
      break;
    case CredentialsErrorCode::not_regular_file:
      text = "credentials path is not a regular file";
      break;
    case CredentialsErrorCode::insecure_permissions:
      text = "credentials file must be owned by this user and mode 0600";
      break;
    case CredentialsErrorCode::too_large:
      text = "credentials file is too large";
      break;
    case CredentialsErrorCode::malformed_line:
      text = "malformed credentials line";
      break;
    case CredentialsErrorCode::duplicate_login:
      text = "login listed twice in credentials";
      break;
    case CredentialsErrorCode::io_error:
      text = "cannot read or write the credentials file";
      break;
  }
  if (e.line != 0) text += " (line " + std::to_string(e.line) + ")";
  if (e.sys_errno != 0) text += std::string(": ") + std::strerror(e.sys_errno);
  return text;
}

lockcore::Result<Credentials, CredentialsError> read_credentials(
    const std::filesystem::path& path) {
  // O_NONBLOCK: a FIFO planted at the path must not hang the reader. O_NOFOLLOW: no symlinks.
  FdCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)};
  if (file.fd < 0) return error(CredentialsErrorCode::cannot_open, 0, errno);
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) return error(CredentialsErrorCode::io_error, 0, errno);
  if (!S_ISREG(info.st_mode)) return error(CredentialsErrorCode::not_regular_file);
  if ((info.st_mode & 077) != 0 || (info.st_uid != ::geteuid() && info.st_uid != 0)) {
    return error(CredentialsErrorCode::insecure_permissions);
  }
  if (info.st_size > kMaxFileBytes) return error(CredentialsErrorCode::too_large);

  std::string content;
  content.resize(static_cast<std::size_t>(info.st_size) + 1);
  std::size_t got = 0;
  for (;;) {
    if (got == content.size()) return error(CredentialsErrorCode::too_large);  // grew meanwhile
    const ssize_t n = ::read(file.fd, content.data() + got, content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error(CredentialsErrorCode::io_error, 0, errno);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  content.resize(got);

  Credentials credentials;
  std::size_t line_number = 0;
  std::string_view rest(content);
  while (!rest.empty()) {
    ++line_number;
    const std::size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) {
      return error(CredentialsErrorCode::malformed_line, line_number);
    }
    const std::string_view login = line.substr(0, space);
    const std::string_view password = line.substr(space + 1);
    if (!is_valid_login(login) || !is_valid_password(password)) {
      return error(CredentialsErrorCode::malformed_line, line_number);
    }
    if (credentials.password_for(login)) {
      return error(CredentialsErrorCode::duplicate_login, line_number);
    }
    credentials.add(std::string(login), std::string(password));
  }
  return credentials;
}

lockcore::Result<void, CredentialsError> write_credentials(const std::filesystem::path& path,
                                                           const Credentials& credentials) {
  std::string content = "# latchkey broker credentials: login password (generated; keep 0600)\n";
  for (const auto& [login, password] : credentials.entries()) {
    content += login;
    content += ' ';
    content += password;
    content += '\n';
  }
  auto written = write_file_atomically(path, content, 0600);
  if (!written) return error(CredentialsErrorCode::io_error, 0, written.error());
  return {};
}

std::string random_password() {
  if (sodium_init() < 0) std::abort();  // no usable randomness: nothing safe to return
  unsigned char bytes[24];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(text);
}

}  // namespace transport
