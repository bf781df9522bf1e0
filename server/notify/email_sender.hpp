#pragma once
// Email by SMTP through libcurl: smtp:// (with STARTTLS as configured) or smtps:// (TLS from the
// first byte), optional AUTH, MAIL FROM the configured sender, RCPT TO the message's address, and
// the message built by format_email() with Date from the attempt's (injected) clock and a
// Message-ID made from the outbox id, so a message re-sent after a crash carries the same id and
// a receiving system can tell it is the same message.
//
// Outcomes (the reply codes are the server's):
//   sent             the server accepted the message after DATA (250)
//   rejected         5xx to RCPT TO or to the message: this recipient or message will never go
//   invalid_message  the recipient or sender is not a plain address; nothing was sent
//   deferred         4xx to anything (greylisting, mailbox busy, too many connections)
//   refused          5xx to anything else (MAIL FROM, EHLO): the server refuses us
//   auth_failed      AUTH refused; tls_failed: STARTTLS required but not offered, or TLS failed
//   connection_failed, timed_out, protocol_error, aborted: as curl_transfer.hpp says
// Blocking: runs on the deliverer's worker threads (see deliverer.hpp).

#include <chrono>
#include <optional>
#include <string>

#include "server/notify/sender.hpp"

namespace server::notify {

enum class StartTls {
  off,            // plain SMTP (a relay on the same host or a private network)
  opportunistic,  // STARTTLS when the server offers it (open to a downgrade by the network)
  required,       // STARTTLS or no mail: the message is retried (tls_failed)
};

struct EmailSettings {
  std::string url;           // smtp://host[:port][/helo-domain] or smtps://host[:port]
  std::string from_address;  // MAIL FROM and the From header
  std::string from_name;     // From's display name; empty: none
  std::string username;      // empty: no AUTH
  std::string password;
  StartTls starttls = StartTls::required;  // smtp:// only; smtps:// is always TLS
  std::chrono::milliseconds timeout{30'000};
};

// Why `settings` cannot send mail (no URL, a URL that is not smtp:// or smtps://, a sender that is
// not a plain address), or nullopt when they can.
std::optional<std::string> email_settings_problem(const EmailSettings& settings);

class EmailSender final : public Sender {
 public:
  // Precondition: email_settings_problem(settings) is nullopt (else every send fails).
  explicit EmailSender(EmailSettings settings) : settings_(std::move(settings)) {}

  SendResult send(const Attempt& attempt) const override;

 private:
  EmailSettings settings_;
};

}  // namespace server::notify
