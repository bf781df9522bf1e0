#pragma once
// A real SMTP server for one test: aiosmtpd (`/usr/bin/python3 -m aiosmtpd`, Debian's
// python3-aiosmtpd 1.4) on a free loopback port, storing every message it accepts in a Maildir,
// so a test reads exactly what arrived over the wire. Its handler is aiosmtpd's Mailbox with one
// addition, for the failure paths: RCPT TO a local part starting with "reject" is answered
// 550 5.1.1; the first RCPT TO an address whose local part starts with "later" is answered
// 451 4.2.0 (greylisting), later ones are accepted.
//
// The server is stopped (SIGTERM, then SIGKILL) at destruction, whether or not the test passed,
// and gets SIGKILL if the test process dies first (PR_SET_PDEATHSIG). Its output goes to
// <dir>/aiosmtpd.out, named in failure messages.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "tests/support/temp_dir.hpp"

namespace testsupport {

struct ReceivedMail {
  std::map<std::string, std::string> headers;  // names in lower case; unfolded values
  std::string body;                            // everything after the blank line, as stored

  std::string header(std::string_view name) const;
};

class SmtpSink {
 public:
  // nullptr (after ADD_FAILURE with the reason and aiosmtpd's output) when it does not start
  // accepting connections within `ready_timeout`.
  static std::unique_ptr<SmtpSink> start(
      std::chrono::milliseconds ready_timeout = std::chrono::seconds(20));
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::uint16_t port() const { return port_; }
  // "smtp://127.0.0.1:<port>"
  std::string url() const;
  // Every message in the Maildir, oldest first (by file time, then name).
  std::vector<ReceivedMail> messages() const;

 private:
  SmtpSink() = default;
  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// A loopback port nothing listens on (bound, then released): "connection refused".
std::uint16_t closed_port();

}  // namespace testsupport
