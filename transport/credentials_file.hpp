#pragma once
// The `credentials` file in a broker config directory: the plain-text broker password of every
// login, for the simulator and the server to read (the broker itself only has hashes).
//
// Format: UTF-8 text, one `login password` per line (a single space between), `#` comment lines
// and blank lines ignored. Logins use the characters of is_valid_login(); passwords are 1..256
// printable ASCII characters without spaces. The file must be a regular file (not a symlink),
// owned by this user or root, readable by its owner only (mode 0600 or stricter), and at most
// 16 MiB. The reader refuses anything else rather than guess.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "lockcore/result.hpp"

namespace transport {

// A broker login: 1..200 characters from [A-Za-z0-9._/-], not starting with '/', no empty path
// level. Excludes everything that means something in Mosquitto's password file (':'), its ACL file
// (whitespace, newlines) or in topic filters ('+', '#').
bool is_valid_login(std::string_view login);
bool is_valid_password(std::string_view password);

class Credentials {
 public:
  // Returns false (and changes nothing) when the login is already present or either part is
  // invalid.
  bool add(std::string login, std::string password);
  std::optional<std::string_view> password_for(std::string_view login) const;
  std::size_t size() const { return entries_.size(); }
  const std::map<std::string, std::string, std::less<>>& entries() const { return entries_; }

 private:
  std::map<std::string, std::string, std::less<>> entries_;
};

enum class CredentialsErrorCode {
  cannot_open,           // missing, unreadable, or a symlink (sys_errno says which)
  not_regular_file,      // a directory, FIFO, device...
  insecure_permissions,  // group/other may read or write it, or someone else owns it
  too_large,
  malformed_line,  // wrong field count, bad login or password characters, NUL, CR
  duplicate_login,
  io_error,
};

struct CredentialsError {
  CredentialsErrorCode code;
  std::size_t line = 0;  // 1-based, for malformed_line and duplicate_login
  int sys_errno = 0;
};

std::string describe(const CredentialsError& error);

lockcore::Result<Credentials, CredentialsError> read_credentials(const std::filesystem::path& path);

// Writes atomically (temporary file, then rename) with mode 0600.
lockcore::Result<void, CredentialsError> write_credentials(const std::filesystem::path& path,
                                                           const Credentials& credentials);

// A fresh random password: 24 bytes from libsodium, URL-safe base64 without padding (32 chars).
std::string random_password();

}  // namespace transport
