#pragma once
// Commands: signed commands to locks, and the action attempts (unlock, lock) people ask for.
//
// An action attempt is a device_commands row: pending (written with its unlock_requested /
// lock_requested audit entry) -> sent (published with QoS 1, signed by the site key, valid for
// DevicesOptions::command_lifetime) -> succeeded or failed with the lock's own error code when the
// lock acks it (confirmed_by_device), or timed_out when no ack came by expiry + ack_grace. A late
// ack still updates the row; nothing is ever re-sent. A command is refused at once, and nothing is
// written or sent, when the lock cannot be reached now (Health::reachable): an unlock is never
// queued for later. Every change is published on the live bus (topic "command"); failures and
// time-outs are audited as command_failed (the lock's own unlocked/locked event is audited when it
// arrives, by EventIngest).
//
// send() is the lower level shared with commissioning (pair) and event acknowledgement
// (events_ack): it publishes one signed command and calls back once with the ack or, at the
// deadline, with nothing.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "server/devices/context.hpp"

namespace server::devices {

class Commands {
 public:
  using AckHandler = std::function<void(const std::optional<lockcore::CommandAck>& ack)>;

  explicit Commands(Context& ctx);
  // Cancels the deadline timers (they live on a scheduler that may outlive this).
  ~Commands();

  // Unfinished rows of a previous run: past their deadline -> timed_out; otherwise their deadline
  // is watched again (a late ack still lands). Errors: internal.
  Status recover();

  // An action attempt, completing with its outcome (succeeded, failed, timed_out) on the ack or the
  // deadline. Errors (nothing sent, nothing written): not_found (no such lock), conflict (not
  // commissioned, or waiting for re-enrollment after a factory reset), unavailable (the lock, its
  // hub or link, or the broker cannot be reached now; or the broker refused the message, in which
  // case the row says failed "not_sent"), internal.
  boost::asio::awaitable<Result<CommandResult>> run(std::string site, std::string lock,
                                                    CommandOp op, std::string requested_by);

  // Errors: not_found (no such command at this site), internal.
  Result<CommandResult> get(std::string_view site, std::string_view id);
  // Newest first. Errors: not_found (no such lock), internal.
  Result<std::vector<CommandResult>> list(std::string_view site, std::string_view lock,
                                          std::size_t limit);

  // A fresh command for `lock`: random id, issued now, expiring after `lifetime`. Not signed.
  lockcore::Command make(const LockRecord& lock, lockcore::CommandOp op,
                         std::chrono::milliseconds lifetime);
  // Publishes `cmd` (already signed) and calls `done` once: with the lock's ack, or with nullopt
  // at `deadline`. Errors: unavailable when the broker did not take it (then `done` never runs).
  Status send(const LockRecord& lock, const lockcore::Command& cmd, UnixMs deadline,
              AckHandler done);

  // send(), then completes with the ack, or nullopt at the deadline. Errors as send().
  boost::asio::awaitable<Result<std::optional<lockcore::CommandAck>>> send_and_wait(
      const LockRecord& lock, const lockcore::Command& cmd, UnixMs deadline);

  void on_ack(LockRecord& lock, const lockcore::CommandAck& ack);

  std::size_t in_flight() const { return in_flight_.size(); }

 private:
  struct InFlight {
    std::string site;
    std::string lock;
    AckHandler done;
    runtime::TimerId timer = 0;
  };
  struct Attempt;  // an action attempt awaiting its outcome

  Status insert_attempt(const CommandResult& row, const lockcore::Command& cmd);
  void finish_attempt(const std::string& id, const std::optional<lockcore::CommandAck>& ack);
  Status write_outcome(CommandResult& row, const std::optional<lockcore::CommandAck>& ack);
  void late_ack(LockRecord& lock, const std::string& id, const lockcore::CommandAck& ack);
  void watch(const std::string& id, std::string site, std::string lock, UnixMs deadline,
             AckHandler done);

  Context& ctx_;
  std::unordered_map<std::string, InFlight> in_flight_;  // by hex command id
  std::unordered_map<std::string, std::shared_ptr<Attempt>> attempts_;
  http::Histogram& latency_;
  http::Counter& unmatched_acks_;
};

boost::json::object to_json(const CommandResult& command);

}  // namespace server::devices
