#pragma once
// What the deliverer hands a channel: one attempt at one outbox message. A Sender is called on a
// worker thread, possibly for several messages at once, so it keeps no mutable state; it may
// block (libcurl's easy API) for at most its timeout, and returns early with `aborted` once
// `limits.abort` is set.

#include <string>

#include "lockcore/types.hpp"
#include "server/notify/curl_transfer.hpp"
#include "server/notify/outbox.hpp"
#include "server/notify/send_error.hpp"

namespace server::notify {

struct Attempt {
  Message message;
  lockcore::UnixMs now = 0;  // the injected clock when the attempt started (Date, signature time)
  std::string secret;        // webhooks: the subscription's signing secret
  const std::atomic<bool>* abort = nullptr;
};

class Sender {
 public:
  virtual ~Sender() = default;
  // Errors: see send_error.hpp; each sender's header says which answer means what.
  virtual SendResult send(const Attempt& attempt) const = 0;
};

}  // namespace server::notify
