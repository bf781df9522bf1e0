#pragma once
// The deliverer: takes due messages from the outbox, sends each through its channel's sender and
// records the outcome, so that what the outbox holds goes out.
//
// Threads. Everything here runs on the io thread (the one running the executor given to the
// constructor): outbox reads and writes, the timer, the bookkeeping. Only Sender::send runs on a
// small asio::thread_pool of its own, because libcurl's easy API blocks; its outcome is posted back
// to the io thread. (The multi API on asio sockets would avoid the threads, at the price of owning
// libcurl's socket callbacks; a few threads are simpler and sends are rare.)
//
// Waking. poke() after a commit that enqueued something (the Node does it for its domains);
// otherwise one timer on the injected scheduler, armed for the earliest moment a pending message
// on a configured channel can next be taken (its next attempt, or when a lease runs out). No
// polling: with nothing pending, no timer is armed. A message enqueued without a poke goes out at
// the next pass (the next poke, timer or start).
//
// Once, and crashes. Before an attempt the deliverer claims the message with a lease in the
// outbox (Outbox::claim, lease = options.lease), so no two attempts at one message ever overlap,
// in this process or another on the same database; the outcome clears the lease. A crash (or a
// destruction without stop()) between a send and its mark leaves the lease to run out, and the
// message is sent again then: a message is sent at least once, and at most once more per crash —
// which is why the email's Message-ID and the webhook's id stay the same on every attempt.
//
// Outcomes. Sent: mark_sent. A permanent error (SendError::permanent()): failed for good at once.
// Anything else: mark_failed with the next step of the ladder (retry_ladder.hpp), failed for good
// when it is used up. An attempt aborted by stop() is released untried (no attempt counted).
//
// Channels. A channel without a sender (disabled, or its settings unusable) is not served: its
// messages stay pending, never dropped, and the deliverer logs once (warn) when it sees that some
// are waiting. They go out once the node runs with that channel configured.
//
// Metrics (in the given registry), labelled by channel:
//   notify_sent_total        messages delivered
//   notify_retrying_total    attempts that failed and will be tried again
//   notify_failed_total      messages failed for good
//   notify_in_flight         attempts under way (gauge)

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "runtime/scheduler.hpp"
#include "server/http/metrics.hpp"
#include "server/notify/outbox.hpp"
#include "server/notify/retry_ladder.hpp"
#include "server/notify/sender.hpp"
#include "server/notify/webhooks.hpp"

namespace server::notify {

// One sender per channel; null when the channel is not served, with the reason for the log.
struct Senders {
  std::unique_ptr<Sender> email;
  std::unique_ptr<Sender> sms;
  std::unique_ptr<Sender> webhook;
  std::string email_problem;  // e.g. "disabled ([notify] email_enabled = false)"
  std::string sms_problem;
  std::string webhook_problem;
};

struct DelivererOptions {
  // Threads that run sends, and so the attempts under way at once: a message is claimed only
  // when a thread is free for it, so its attempt starts as its lease does.
  std::size_t workers = 2;
  // How long a claimed message is held. Longer than any sender's timeout, so a slow attempt is
  // never overtaken by a second one; after a crash, how long its messages wait.
  std::chrono::milliseconds lease{std::chrono::minutes(5)};
  RetryLadder ladder = RetryLadder::standard();
};

class Deliverer {
 public:
  // Every reference must outlive the deliverer. `outbox` and `webhooks` are used on the io thread
  // only.
  Deliverer(boost::asio::any_io_executor io, runtime::Scheduler& scheduler, Outbox& outbox,
            Webhooks& webhooks, http::Registry& metrics, Senders senders,
            DelivererOptions options = {});
  // Aborts attempts under way and waits for the worker threads (about a second at most). Their
  // leases are left to run out, as after a crash; stop() first to release them.
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // Logs which channels are served and makes the first pass (soon, on the io thread).
  void start();
  // Something was enqueued (and committed): make a pass soon. Cheap; many pokes make one pass.
  void poke();
  // Takes no new messages, aborts the attempts under way and releases them untried; calls `done`
  // (on the io thread) once none is left. Idempotent; a stopped deliverer cannot be restarted.
  void stop(std::function<void()> done);

  std::size_t in_flight() const;
  // Nothing under way and no pass waiting to run: what tests wait for.
  bool idle() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace server::notify
