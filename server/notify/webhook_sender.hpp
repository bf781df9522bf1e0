#pragma once
// Webhooks: one POST of a JSON body to the subscription's URL, signed (webhook_signature.hpp) at
// the attempt's time from the injected clock, over http or https, via libcurl, no redirects.
//
// The request:
//   POST <url>
//   Content-Type: application/json
//   User-Agent: Latchkey-Webhooks/1
//   Latchkey-Event: <kind>             e.g. lock_alert
//   Latchkey-Delivery: <message id>    the same on every retry of one message
//   Latchkey-Signature: t=<unix s>,v1=<hex HMAC-SHA256 of "t.body">
//   {"id":"msg_…","kind":"lock_alert","site":"harbor-flats","created":"2026-01-01T00:00:00.000Z",
//    "subject":"…","data":{…the object given to Webhooks::publish…}}
//
// Outcomes (by the receiver's status):
//   sent             2xx
//   rejected         410 Gone: the receiver asks us to stop
//   deferred         any other 4xx or 5xx: retried on the ladder (a receiver that is down,
//                    misconfigured or rejecting a stale signature gets its message later)
//   protocol_error   a 1xx or 3xx (redirects are not followed)
//   invalid_message  no subscription secret (the subscription was removed), a URL that is not
//                    http(s), or a body that is not JSON; nothing was sent
//   connection_failed, timed_out, tls_failed, aborted: as curl_transfer.hpp says
// Blocking: runs on the deliverer's worker threads.

#include <chrono>
#include <string>

#include "server/notify/sender.hpp"

namespace server::notify {

struct WebhookSettings {
  std::chrono::milliseconds timeout{10'000};
};

// The JSON document POSTed for `message` (see above). Errors: invalid_message when the message's
// body is not JSON.
lockcore::Result<std::string, SendError> webhook_body(const Message& message);

class WebhookSender final : public Sender {
 public:
  explicit WebhookSender(WebhookSettings settings = {}) : settings_(settings) {}

  // attempt.secret must hold the subscription's secret (the deliverer looks it up).
  SendResult send(const Attempt& attempt) const override;

 private:
  WebhookSettings settings_;
};

}  // namespace server::notify
