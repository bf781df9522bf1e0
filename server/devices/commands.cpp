#include "server/devices/commands.hpp"

#include <spdlog/spdlog.h>

#include "lockcore/signing.hpp"
#include "protocol/codec.hpp"
#include "protocol/names.hpp"
#include "server/devices/broker_link.hpp"
#include "server/devices/health.hpp"
#include "server/devices/pending.hpp"
#include "server/devices/refusals.hpp"
#include "server/devices/row_reader.hpp"

namespace server::devices {

struct Commands::Attempt {
  CommandResult row;
  Pending<CommandResult> outcome;
};

namespace {

// An action attempt's rows and its audit entries survive a crash of the server, not a power cut:
// at hundreds of unlocks a second a sync each would be the whole cost of an unlock. What a power
// cut may take is the newest attempts; whether the door opened the lock says again in its own
// event, which is stored synced (EventIngest).
constexpr store::Durability kAttemptDurability = store::Durability::process_crash;

constexpr std::string_view kColumns =
    "id, site, lock, op, requested_by, status, error, confirmed, bolt, created, expires, updated";

Result<CommandResult> command_from(const store::Row& row) {
  RowReader r(row);
  CommandResult c;
  c.id = r.text(0);
  c.site = r.text(1);
  c.lock = r.text(2);
  const std::string op = r.text(3);
  c.requested_by = r.text(4);
  const std::string status = r.text(5);
  c.error = r.text(6);
  c.confirmed_by_device = r.i64(7) != 0;
  const std::string bolt = r.text(8);
  c.created = r.i64(9);
  c.expires = r.i64(10);
  c.updated = r.i64(11);
  if (!r.ok()) return fail(store_failure(r.error()));
  auto o = command_op_from(op);
  auto s = command_status_from(status);
  if (!o || !s) return fail(Error(Errc::internal, "device_commands: unknown op or status"));
  c.op = *o;
  c.status = *s;
  c.bolt =
      protocol::from_wire_name<lockcore::BoltState>(bolt).value_or(lockcore::BoltState::unknown);
  return c;
}

}  // namespace

Commands::Commands(Context& ctx)
    : ctx_(ctx),
      latency_(ctx.metrics.histogram("latchkey_device_command_seconds",
                                     "From an action attempt's request to its outcome")),
      unmatched_acks_(ctx.metrics.counter("latchkey_device_unmatched_acks_total",
                                          "Acks for no command this server is waiting on")) {}

Commands::~Commands() {
  for (auto& [id, entry] : in_flight_)
    ctx_.scheduler.cancel(entry.timer);
}

lockcore::Command Commands::make(const LockRecord& lock, lockcore::CommandOp op,
                                 std::chrono::milliseconds lifetime) {
  lockcore::Command cmd;
  [[maybe_unused]] const bool site_fits = cmd.site.assign(lock.info.site);
  [[maybe_unused]] const bool lock_fits = cmd.lock.assign(lock.info.id);
  ctx_.random.fill(cmd.id);
  cmd.op = op;
  cmd.issued = ctx_.now();
  cmd.expires = cmd.issued + lifetime.count();
  return cmd;
}

void Commands::watch(const std::string& id, std::string site, std::string lock, UnixMs deadline,
                     AckHandler done) {
  InFlight entry{std::move(site), std::move(lock), std::move(done), 0};
  entry.timer = ctx_.scheduler.call_at(deadline, [this, id] {
    auto it = in_flight_.find(id);
    if (it == in_flight_.end()) return;
    AckHandler done = std::move(it->second.done);
    in_flight_.erase(it);
    if (done) done(std::nullopt);
  });
  in_flight_[id] = std::move(entry);
}

Status Commands::send(const LockRecord& lock, const lockcore::Command& cmd, UnixMs deadline,
                      AckHandler done) {
  // Watched before it is published: nothing may answer a command the server does not expect.
  const std::string id = to_hex(cmd.id);
  watch(id, lock.info.site, lock.info.id, deadline, std::move(done));
  const std::string topic =
      protocol::make_topic(lock.info.site, lock.info.id, protocol::Channel::cmd);
  auto sent = ctx_.broker->publish(topic, protocol::encode(cmd), false);
  if (!sent) {
    auto it = in_flight_.find(id);
    ctx_.scheduler.cancel(it->second.timer);
    in_flight_.erase(it);
    return fail(Error(Errc::unavailable, "the broker did not take the command: " +
                                             std::string(transport::to_string(sent.error()))));
  }
  return {};
}

boost::asio::awaitable<Result<std::optional<lockcore::CommandAck>>> Commands::send_and_wait(
    const LockRecord& lock, const lockcore::Command& cmd, UnixMs deadline) {
  using Outcome = std::optional<lockcore::CommandAck>;
  auto pending = std::make_shared<Pending<Outcome>>();
  Status sent = send(lock, cmd, deadline, [pending](const Outcome& ack) { pending->deliver(ack); });
  if (!sent) co_return fail(sent.error());
  Outcome ack = co_await pending->wait();
  co_return ack;
}

void Commands::on_ack(LockRecord& lock, const lockcore::CommandAck& ack) {
  const std::string id = to_hex(ack.id);
  auto it = in_flight_.find(id);
  if (it == in_flight_.end()) {
    late_ack(lock, id, ack);
    return;
  }
  if (it->second.site != lock.info.site || it->second.lock != lock.info.id) {
    // Another lock's topic carrying this command's id: not this lock's answer.
    spdlog::warn("devices: ack for command {} arrived from lock {}, not {}; ignored", id,
                 lock.info.id, it->second.lock);
    unmatched_acks_.inc();
    return;
  }
  ctx_.scheduler.cancel(it->second.timer);
  AckHandler done = std::move(it->second.done);
  in_flight_.erase(it);
  if (done) done(ack);
}

// ---- action attempts ------------------------------------------------------------------------

Status Commands::insert_attempt(const CommandResult& row, const lockcore::Command& /*cmd*/) {
  return in_transaction(
      ctx_.db,
      [&]() -> Status {
        auto inserted = ctx_.db.execute(
            "INSERT INTO device_commands (id, site, lock, op, requested_by, status, error, "
            "confirmed, "
            "bolt, created, expires, updated) VALUES (?, ?, ?, ?, ?, 'pending', '', 0, 'unknown', "
            "?, "
            "?, ?)",
            {row.id, row.site, row.lock, std::string(to_string(row.op)), row.requested_by,
             row.created, row.expires, row.created});
        if (!inserted) return fail(store_failure(inserted.error()));
        return ctx_.audit_entry(row.op == CommandOp::unlock ? audit::AuditType::unlock_requested
                                                            : audit::AuditType::lock_requested,
                                row.requested_by, row.site, lock_subject(row.lock),
                                {{"command", row.id}});
      },
      kAttemptDurability);
}

Status Commands::write_outcome(CommandResult& row, const std::optional<lockcore::CommandAck>& ack) {
  if (ack) {
    row.status =
        ack->error == lockcore::LockError::none ? CommandStatus::succeeded : CommandStatus::failed;
    row.error =
        ack->error == lockcore::LockError::none ? "" : std::string(protocol::wire_name(ack->error));
    row.confirmed_by_device = true;
    row.bolt = ack->bolt;
  } else if (row.error.empty()) {
    row.status = CommandStatus::timed_out;
  }
  row.updated = ctx_.now();
  return in_transaction(
      ctx_.db,
      [&]() -> Status {
        auto updated = ctx_.db.execute(
            "UPDATE device_commands SET status = ?, error = ?, confirmed = ?, bolt = ?, updated = "
            "? "
            "WHERE id = ?",
            {std::string(to_string(row.status)), row.error,
             std::int64_t{row.confirmed_by_device ? 1 : 0},
             std::string(protocol::wire_name(row.bolt)), row.updated, row.id});
        if (!updated) return fail(store_failure(updated.error()));
        if (row.status == CommandStatus::succeeded) return {};
        return ctx_.audit_entry(
            audit::AuditType::command_failed, "lock:" + row.lock, row.site, lock_subject(row.lock),
            {{"command", row.id},
             {"op", to_string(row.op)},
             {"requested_by", row.requested_by},
             {"error", row.status == CommandStatus::timed_out ? "timed_out" : row.error}});
      },
      kAttemptDurability);
}

void Commands::finish_attempt(const std::string& id,
                              const std::optional<lockcore::CommandAck>& ack) {
  auto it = attempts_.find(id);
  if (it == attempts_.end()) return;
  std::shared_ptr<Attempt> attempt = it->second;
  attempts_.erase(it);
  if (Status s = write_outcome(attempt->row, ack); !s) {
    spdlog::error("devices: outcome of command {} not stored: {}", id, s.error().message);
  }
  latency_.observe(static_cast<double>(ctx_.now() - attempt->row.created) / 1000.0);
  ctx_.publish_live(attempt->row.site, "command", to_json(attempt->row));
  attempt->outcome.deliver(attempt->row);
}

void Commands::late_ack(LockRecord& lock, const std::string& id, const lockcore::CommandAck& ack) {
  const std::string topic =
      protocol::make_topic(lock.info.site, lock.info.id, protocol::Channel::ack);
  auto found = get(lock.info.site, id);
  if (!found || found->lock != lock.info.id) {
    unmatched_acks_.inc();
    // The lock refused a command this server never sent (a forgery, a command for another
    // site): someone else is publishing commands to it. An ok for an unknown id is an
    // events_ack of a previous run.
    if (ack.error != lockcore::LockError::none) {
      ctx_.refusals->refuse(topic, "unknown_command",
                            "lock refused command " + id + " that this server did not send: " +
                                std::string(protocol::wire_name(ack.error)),
                            &lock, nullptr, audit::AuditType::command_refused);
    }
    return;
  }
  CommandResult row = std::move(*found);
  if (row.confirmed_by_device) {
    // A second answer to a command already answered: the command was sent again (a replay).
    if (ack.error != lockcore::LockError::none) {
      ctx_.refusals->refuse(topic, "repeated_command",
                            "lock refused command " + id +
                                " sent again: " + std::string(protocol::wire_name(ack.error)),
                            &lock, nullptr, audit::AuditType::command_refused);
    }
    return;
  }
  if (Status s = write_outcome(row, ack); !s) {
    spdlog::error("devices: late ack of command {} not stored: {}", id, s.error().message);
    return;
  }
  ctx_.publish_live(row.site, "command", to_json(row));
}

boost::asio::awaitable<Result<CommandResult>> Commands::run(std::string site, std::string lock,
                                                            CommandOp op,
                                                            std::string requested_by) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) co_return fail(found.error());
  LockRecord& record = **found;
  if (record.info.needs_reenroll) {
    co_return fail(
        Error::conflict("lock " + lock + " was factory reset and must be re-enrolled first"));
  }
  if (!record.info.paired) co_return fail(Error::conflict("lock " + lock + " is not commissioned"));
  if (Status s = ctx_.health->reachable(record); !s) co_return fail(s.error());

  const SiteRecord* keys = ctx_.model.site(site);
  lockcore::Command cmd = make(
      record, op == CommandOp::unlock ? lockcore::CommandOp::unlock : lockcore::CommandOp::lock,
      ctx_.options.command_lifetime);
  cmd.sig = lockcore::sign_command(cmd, keys->keys.secret_key);

  auto attempt = std::make_shared<Attempt>();
  CommandResult& row = attempt->row;
  row.id = to_hex(cmd.id);
  row.site = site;
  row.lock = lock;
  row.op = op;
  row.requested_by = requested_by;
  row.created = cmd.issued;
  row.expires = cmd.expires;
  row.updated = cmd.issued;
  if (Status s = insert_attempt(row, cmd); !s) co_return fail(s.error());
  attempts_[row.id] = attempt;

  const std::string id = row.id;
  Status sent =
      send(record, cmd, cmd.expires + ctx_.options.ack_grace.count(),
           [this, id](const std::optional<lockcore::CommandAck>& ack) { finish_attempt(id, ack); });
  if (!sent) {
    attempts_.erase(id);
    row.status = CommandStatus::failed;
    row.error = "not_sent";
    if (Status s = write_outcome(row, std::nullopt); !s) {
      spdlog::error("devices: command {} not sent and not recorded: {}", id, s.error().message);
    }
    ctx_.publish_live(site, "command", to_json(row));
    co_return fail(sent.error());
  }
  row.status = CommandStatus::sent;
  if (Status marked = in_transaction(
          ctx_.db,
          [&]() -> Status {
            auto updated = ctx_.db.execute(
                "UPDATE device_commands SET status = 'sent' WHERE id = ? AND status = 'pending'",
                {id});
            if (!updated) return fail(store_failure(updated.error()));
            return {};
          },
          kAttemptDurability);
      !marked) {
    spdlog::error("devices: command {} sent but not marked: {}", id, marked.error().message);
  }
  ctx_.publish_live(site, "command", to_json(row));

  CommandResult outcome = co_await attempt->outcome.wait();
  co_return outcome;
}

// ---- queries and recovery -------------------------------------------------------------------

Result<CommandResult> Commands::get(std::string_view site, std::string_view id) {
  auto rows = ctx_.db.query(
      "SELECT " + std::string(kColumns) + " FROM device_commands WHERE id = ? AND site = ?",
      {std::string(id), std::string(site)});
  if (!rows) return fail(store_failure(rows.error()));
  if (rows->empty()) return fail(Error::not_found("no command \"" + std::string(id) + "\""));
  return command_from((*rows)[0]);
}

Result<std::vector<CommandResult>> Commands::list(std::string_view site, std::string_view lock,
                                                  std::size_t limit) {
  auto found = ctx_.find_lock(site, lock);
  if (!found) return fail(found.error());
  return query_rows(ctx_.db,
                    "SELECT " + std::string(kColumns) +
                        " FROM device_commands WHERE site = ? AND lock = ? ORDER BY created DESC, "
                        "id LIMIT ?",
                    {std::string(site), std::string(lock),
                     static_cast<std::int64_t>(std::min<std::size_t>(limit, 1000))},
                    command_from);
}

Status Commands::recover() {
  auto rows = ctx_.db.query("SELECT " + std::string(kColumns) +
                            " FROM device_commands WHERE status IN ('pending', 'sent')");
  if (!rows) return fail(store_failure(rows.error()));
  for (const store::Row& row : *rows) {
    auto c = command_from(row);
    if (!c) return fail(c.error());
    const UnixMs deadline = c->expires + ctx_.options.ack_grace.count();
    if (deadline <= ctx_.now()) {
      CommandResult timed_out = std::move(*c);
      if (Status s = write_outcome(timed_out, std::nullopt); !s) return s;
      continue;
    }
    auto attempt = std::make_shared<Attempt>();
    attempt->row = std::move(*c);
    const std::string id = attempt->row.id;
    attempts_[id] = attempt;
    watch(id, attempt->row.site, attempt->row.lock, deadline,
          [this, id](const std::optional<lockcore::CommandAck>& ack) { finish_attempt(id, ack); });
  }
  return {};
}

boost::json::object to_json(const CommandResult& c) {
  boost::json::object o{{"id", c.id},
                        {"lock", c.lock},
                        {"op", to_string(c.op)},
                        {"status", to_string(c.status)},
                        {"confirmed_by_device", c.confirmed_by_device},
                        {"requested_by", c.requested_by},
                        {"created", c.created},
                        {"expires", c.expires},
                        {"updated", c.updated}};
  if (!c.error.empty()) o["error"] = c.error;
  if (c.confirmed_by_device) o["bolt"] = protocol::wire_name(c.bolt);
  return o;
}

}  // namespace server::devices
