#pragma once
// How one delivery attempt fails, for every channel: a typed code that says whether trying again
// can help, and a message for the outbox's last_error and the log (never a secret: no passwords,
// tokens or signing keys).

#include <string>
#include <string_view>

#include "lockcore/result.hpp"

namespace server::notify {

enum class SendErrc {
  // Retrying can help (the deliverer moves the message one step down the retry ladder):
  connection_failed,  // name not resolved, connection refused or reset, the peer went away
  timed_out,          // no complete answer within the channel's timeout
  tls_failed,         // TLS handshake or certificate check failed, or STARTTLS was required and
                      // not offered
  auth_failed,        // the SMTP server or SMS provider refused our credentials (401/403, 535)
  deferred,           // the far end said "later": SMTP 4xx, HTTP 5xx or 429, a webhook's non-2xx
  refused,            // an SMTP 5xx to something other than the recipient or the message (MAIL
                      // FROM, EHLO): the server refuses us, which configuration can fix
  protocol_error,     // an answer that makes no sense (an HTTP redirect, a malformed reply)
  aborted,            // the deliverer is stopping; the attempt does not count
  // Retrying cannot help (the message is failed for good):
  rejected,         // the recipient or the message was refused for good: SMTP 5xx to RCPT TO or
                    // DATA, an SMS provider's 4xx (a bad number), a webhook's 410 Gone
  invalid_message,  // the message cannot be sent as written: an address that is not one, a
                    // header that would need a line break, a webhook with no subscription
};

std::string_view to_string(SendErrc code);

struct SendError {
  SendErrc code = SendErrc::connection_failed;
  std::string message;

  // True for rejected and invalid_message: no later attempt can succeed.
  bool permanent() const;
};

using SendResult = lockcore::Result<void, SendError>;

inline lockcore::Failure<SendError> send_error(SendErrc code, std::string message) {
  return lockcore::fail(SendError{code, std::move(message)});
}

}  // namespace server::notify
