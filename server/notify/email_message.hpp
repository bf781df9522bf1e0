#pragma once
// The text of one email as RFC 5322 and MIME want it: Date, From, To, Subject, Message-ID,
// MIME-Version, a text/plain UTF-8 body in base64 (7-bit clean whatever the body holds, lines of
// 76), CRLF line ends. Non-ASCII in the subject or the sender's name goes as RFC 2047 encoded
// words, folded so that no header line passes 78 characters.

#include <string>
#include <string_view>

#include "lockcore/result.hpp"
#include "lockcore/types.hpp"
#include "server/notify/send_error.hpp"

namespace server::notify {

struct EmailContent {
  std::string from_address;  // a plain addr-spec: "noreply@latchkey.example"
  std::string from_name;     // display name; empty: none
  std::string to_address;    // a plain addr-spec
  std::string subject;       // UTF-8; line breaks and tabs become spaces
  std::string body;          // UTF-8; \n or \r\n line ends
  std::string message_id;    // unique per message ("msg_…"); the id's domain is from_address's
  lockcore::UnixMs date = 0;
};

// Errors: invalid_message when either address is not a plain addr-spec (see plain_address()) or
// message_id is empty or holds anything but letters, digits, '_', '-' and '.'.
lockcore::Result<std::string, SendError> format_email(const EmailContent& content);

// "local@domain" with no spaces, control characters, quotes, angle brackets, commas or
// semicolons, exactly one '@', non-empty on both sides, at most 254 bytes: what may go into
// MAIL FROM / RCPT TO and a header without quoting or injection.
bool plain_address(std::string_view address);

// RFC 5322 date-time in UTC: "Thu, 01 Jan 2026 00:00:00 +0000".
std::string rfc5322_date(lockcore::UnixMs ms);

}  // namespace server::notify
