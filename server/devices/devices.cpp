#include "server/devices/devices.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "protocol/codec.hpp"
#include "server/devices/broker_link.hpp"
#include "server/devices/commands.hpp"
#include "server/devices/commissioning.hpp"
#include "server/devices/context.hpp"
#include "server/devices/event_ingest.hpp"
#include "server/devices/health.hpp"
#include "server/devices/refusals.hpp"
#include "server/devices/registry.hpp"
#include "server/devices/shadows.hpp"
#include "server/devices/unregistered_retained.hpp"

namespace server::devices {

struct Devices::Parts {
  explicit Parts(Context& ctx, const DevicesOptions& options)
      : broker(ctx.io, options.broker, ctx.metrics, options.test_publish),
        registry(ctx),
        health(ctx),
        commands(ctx),
        placements(ctx),
        shadows(ctx),
        events(ctx),
        commissioning(ctx),
        keys(ctx),
        refusals(ctx) {
    ctx.broker = &broker;
    ctx.registry = &registry;
    ctx.health = &health;
    ctx.commands = &commands;
    ctx.placements = &placements;
    ctx.shadows = &shadows;
    ctx.events = &events;
    ctx.commissioning = &commissioning;
    ctx.keys = &keys;
    ctx.refusals = &refusals;
  }
  BrokerLink broker;
  Registry registry;
  Health health;
  Commands commands;
  Placements placements;
  Shadows shadows;
  EventIngest events;
  Commissioning commissioning;
  DigitalKeys keys;
  Refusals refusals;
  UnregisteredRetained unregistered;
};

Devices::Devices(boost::asio::io_context& io, runtime::Scheduler& scheduler, store::Database& db,
                 std::unique_ptr<store::Database> event_db, audit::AuditLog& audit, live::Bus& live,
                 http::Registry& metrics, DevicesOptions options)
    : options_(std::move(options)),
      writer_(std::make_unique<store::BatchWriter>(std::move(event_db), options_.writer)),
      ctx_(std::make_unique<Context>(io, scheduler, db, audit, live, metrics, *writer_, options_)),
      parts_(std::make_unique<Parts>(*ctx_, options_)) {
  parts_->broker.on_message([this](const protocol::Topic& topic, std::string_view payload,
                                   bool retained) { on_message(topic, payload, retained); });
  parts_->broker.on_refused([this](std::string_view topic, const protocol::Topic* parsed,
                                   std::string_view kind, std::string_view detail) {
    LockRecord* lock = nullptr;
    HubRecord* hub = nullptr;
    if (parsed != nullptr) {
      lock = ctx_->model.lock(parsed->site.view(), parsed->device.view());
      hub = ctx_->model.hub(parsed->site.view(), parsed->device.view());
    }
    parts_->refusals.refuse(topic, kind, detail, lock, hub);
  });
  parts_->broker.on_connection([this](bool connected) { on_connection(connected); });
}

Devices::~Devices() {
  parts_->broker.stop();
  // Commit what is queued; the completions must not run once the parts are gone.
  writer_->stop();
  for (LockRecord* lock : ctx_->model.all_locks()) {
    if (lock->shadow.retry_timer != 0) ctx_->scheduler.cancel(lock->shadow.retry_timer);
    lock->shadow.retry_timer = 0;
  }
  parts_.reset();
}

Status Devices::start() {
  if (Status s = parts_->registry.load(); !s) return s;
  if (Status s = parts_->keys.load(); !s) return s;
  parts_->shadows.loaded();
  if (Status s = parts_->events.recover(); !s) return s;
  if (Status s = parts_->commands.recover(); !s) return s;
  if (auto started = parts_->broker.start(); !started) {
    return fail(Error(Errc::unavailable, started.error()));
  }
  return {};
}

void Devices::stop() {
  parts_->events.flush();
  parts_->broker.stop();
  writer_->sync();
}

void Devices::add_observer(Observer* observer) {
  ctx_->observers.push_back(observer);
}

void Devices::remove_observer(Observer* observer) {
  auto& list = ctx_->observers;
  list.erase(std::remove(list.begin(), list.end(), observer), list.end());
}

// ---- inbound --------------------------------------------------------------------------------

void Devices::receive(std::string_view topic, std::string_view payload, bool retained) {
  parts_->broker.received({topic, payload, protocol::kQos, retained});
}

void Devices::on_connection(bool connected) {
  if (connected) parts_->shadows.broker_connected();
}

void Devices::on_message(const protocol::Topic& topic, std::string_view payload, bool retained) {
  const std::string_view site = topic.site.view();
  const std::string_view device = topic.device.view();
  Refusals& refusals = parts_->refusals;
  const std::string raw = protocol::make_topic(topic);
  auto decode_failed = [&](const protocol::DecodeError& e, LockRecord* lock, HubRecord* hub) {
    refusals.refuse(raw, "decode", std::string(protocol::to_string(e.code)) + ": " + e.message,
                    lock, hub);
  };

  if (HubRecord* hub = ctx_->model.hub(site, device)) {
    switch (topic.channel) {
      case protocol::Channel::status: {
        auto status = protocol::decode_status(payload);
        if (!status) return decode_failed(status.error(), nullptr, hub);
        parts_->health.on_hub_status(*hub, *status);
        return;
      }
      case protocol::Channel::links: {
        auto links = protocol::decode_hub_links(payload);
        if (!links) return decode_failed(links.error(), nullptr, hub);
        // A hub reports only the locks it links: anything else is not its to report.
        for (const protocol::HubLink& l : links->links) {
          LockRecord* lock = ctx_->model.lock(site, l.lock.view());
          if (lock == nullptr || lock->info.link != device) {
            refusals.refuse(raw, "wrong_link",
                            "hub " + std::string(device) + " reported lock " +
                                std::string(l.lock.view()) + ", which it does not link",
                            nullptr, hub);
            return;
          }
        }
        parts_->health.on_hub_links(*hub, *links);
        return;
      }
      default:
        refusals.refuse(raw, "wrong_channel", "a hub does not publish on this channel", nullptr,
                        hub);
        return;
    }
  }

  LockRecord* lock = ctx_->model.lock(site, device);
  if (lock == nullptr) {
    // Heard again, from what was kept, once the device is registered (add_lock, add_hub).
    if (retained) parts_->unregistered.keep(topic, payload);
    refusals.refuse(raw, "unknown_device", "no such lock or hub is registered");
    return;
  }
  switch (topic.channel) {
    case protocol::Channel::status: {
      auto status = protocol::decode_status(payload);
      if (!status) return decode_failed(status.error(), lock, nullptr);
      parts_->health.on_lock_status(*lock, *status);
      return;
    }
    case protocol::Channel::state: {
      auto state = protocol::decode_state(payload);
      if (!state) return decode_failed(state.error(), lock, nullptr);
      parts_->health.on_lock_state(*lock, *state);
      return;
    }
    case protocol::Channel::event: {
      auto event = protocol::decode_event(payload);
      if (!event) return decode_failed(event.error(), lock, nullptr);
      parts_->health.seen(*lock);
      parts_->events.on_event(*lock, *event);
      return;
    }
    case protocol::Channel::ack: {
      auto ack = protocol::decode_ack(payload);
      if (!ack) return decode_failed(ack.error(), lock, nullptr);
      parts_->health.seen(*lock);
      parts_->commands.on_ack(*lock, *ack);
      return;
    }
    case protocol::Channel::shadow_reported: {
      auto reported = protocol::decode_reported_shadow(payload);
      if (!reported) return decode_failed(reported.error(), lock, nullptr);
      parts_->health.seen(*lock);
      parts_->shadows.on_reported(*lock, *reported);
      return;
    }
    default:
      refusals.refuse(raw, "wrong_channel", "a lock does not publish on this channel", lock,
                      nullptr);
      return;
  }
}

// ---- the interface --------------------------------------------------------------------------

Result<lockcore::PublicKey> Devices::site_key(std::string_view site) {
  return parts_->registry.site_key(site);
}
Status Devices::set_utc_offset(std::string_view site, int minutes) {
  return parts_->registry.set_utc_offset(site, minutes);
}
Result<HubInfo> Devices::add_hub(const HubSpec& spec, std::string_view actor) {
  auto added = parts_->registry.add_hub(spec, actor);
  if (added) hear_what_was_kept(spec.site, spec.id);
  return added;
}
Result<LockInfo> Devices::add_lock(const LockSpec& spec, std::string_view actor) {
  auto added = parts_->registry.add_lock(spec, actor);
  if (added) hear_what_was_kept(spec.site, spec.id);
  return added;
}
void Devices::hear_what_was_kept(std::string_view site, std::string_view device) {
  for (const auto& [topic, payload] : parts_->unregistered.take(site, device))
    on_message(topic, payload, true);
}
Status Devices::set_pairing_code(std::string_view site, std::string_view lock,
                                 std::string_view code) {
  return parts_->registry.set_pairing_code(site, lock, code);
}
Result<LockInfo> Devices::lock(std::string_view site, std::string_view lock) {
  return parts_->registry.lock(site, lock);
}
Result<HubInfo> Devices::hub(std::string_view site, std::string_view hub) {
  return parts_->registry.hub(site, hub);
}
std::vector<LockInfo> Devices::locks(std::string_view site) {
  return parts_->registry.locks(site);
}
std::vector<HubInfo> Devices::hubs(std::string_view site) {
  return parts_->registry.hubs(site);
}

boost::asio::awaitable<Result<LockInfo>> Devices::commission(
    std::string site, std::string lock, std::optional<std::string> pairing_code,
    std::string actor) {
  return parts_->commissioning.commission(std::move(site), std::move(lock), std::move(pairing_code),
                                          std::move(actor));
}
boost::asio::awaitable<Result<LockInfo>> Devices::reenroll(std::string site, std::string lock,
                                                           std::string actor) {
  return parts_->commissioning.reenroll(std::move(site), std::move(lock), std::move(actor));
}

boost::asio::awaitable<Result<CommandResult>> Devices::unlock(std::string site, std::string lock,
                                                              std::string requested_by) {
  return parts_->commands.run(std::move(site), std::move(lock), CommandOp::unlock,
                              std::move(requested_by));
}
boost::asio::awaitable<Result<CommandResult>> Devices::lock_door(std::string site, std::string lock,
                                                                 std::string requested_by) {
  return parts_->commands.run(std::move(site), std::move(lock), CommandOp::lock,
                              std::move(requested_by));
}
Result<CommandResult> Devices::command(std::string_view site, std::string_view id) {
  return parts_->commands.get(site, id);
}
Result<std::vector<CommandResult>> Devices::commands(std::string_view site, std::string_view lock,
                                                     std::size_t limit) {
  return parts_->commands.list(site, lock, limit);
}

Result<Placement> Devices::place(std::string_view site, std::string_view lock,
                                 const PinPlacement& spec) {
  return parts_->placements.place(site, lock, spec);
}
Result<std::vector<PlaceOutcome>> Devices::place_many(std::string_view site,
                                                      std::span<const std::string> locks,
                                                      const PinPlacement& spec) {
  return parts_->placements.place_many(site, locks, spec);
}
Status Devices::resend(std::string_view site, std::string_view lock, std::string_view credential) {
  return parts_->placements.resend(site, lock, credential);
}
Status Devices::withdraw(std::string_view site, std::string_view lock,
                         std::string_view credential) {
  return parts_->placements.withdraw(site, lock, credential);
}
Result<std::size_t> Devices::withdraw_everywhere(std::string_view site,
                                                 std::string_view credential) {
  return parts_->placements.withdraw_everywhere(site, credential);
}
Result<Placement> Devices::placement(std::string_view site, std::string_view lock,
                                     std::string_view credential) {
  return parts_->placements.placement(site, lock, credential);
}
Result<std::vector<Placement>> Devices::placements_on(std::string_view site,
                                                      std::string_view lock) {
  return parts_->placements.on_lock(site, lock);
}
Result<std::vector<Placement>> Devices::placements_of(std::string_view site,
                                                      std::string_view credential) {
  return parts_->placements.of_credential(site, credential);
}
Result<FanoutProgress> Devices::progress(std::string_view site, std::string_view credential) {
  return parts_->placements.progress(site, credential);
}
Result<std::size_t> Devices::fill_backup_pool(std::string_view site, std::string_view lock) {
  return parts_->placements.fill_backup_pool(site, lock);
}
Result<BackupCode> Devices::take_backup_code(std::string_view site, std::string_view lock,
                                             std::string_view actor) {
  return parts_->placements.take_backup_code(site, lock, actor);
}
Result<bool> Devices::rotate_backup_codes(std::string_view site, std::string_view lock) {
  return parts_->placements.rotate_backup_codes(site, lock);
}

Result<LockHealth> Devices::health(std::string_view site, std::string_view lock) {
  auto found = ctx_->find_lock(site, lock);
  if (!found) return fail(found.error());
  return parts_->health.health(**found);
}
Result<HubHealth> Devices::hub_health(std::string_view site, std::string_view hub) {
  HubRecord* record = ctx_->model.hub(site, hub);
  if (record == nullptr) return fail(Error::not_found("no hub \"" + std::string(hub) + "\""));
  return parts_->health.hub_health(*record);
}
Result<std::vector<BatterySample>> Devices::battery_history(std::string_view site,
                                                            std::string_view lock, UnixMs from,
                                                            UnixMs until, std::size_t limit) {
  return parts_->health.battery_history(site, lock, from, until, limit);
}

Result<std::vector<StoredEvent>> Devices::events(std::string_view site, std::string_view lock,
                                                 std::uint32_t after, std::size_t limit) {
  return parts_->events.events(site, lock, after, limit);
}
Result<std::uint64_t> Devices::event_numbers_stored(std::string_view site, std::string_view lock) {
  return parts_->events.numbers_stored(site, lock);
}

Result<IssuedKey> Devices::issue_key(std::string_view site, std::string_view lock,
                                     const lockcore::PublicKey& holder, lockcore::Window window,
                                     std::string_view actor) {
  return parts_->keys.issue(site, lock, holder, window, actor);
}
Result<std::size_t> Devices::revoke_keys(std::string_view site, std::string_view lock,
                                         std::span<const std::string> ids, std::string_view actor) {
  return parts_->keys.revoke(site, lock, ids, actor);
}
Result<std::vector<KeyRecord>> Devices::keys(std::string_view site, std::string_view lock) {
  return parts_->keys.list(site, lock);
}

bool Devices::broker_connected() const {
  return parts_->broker.connected();
}

DevicesStats Devices::stats() const {
  DevicesStats s;
  s.broker_connections = parts_->broker.connections();
  s.refused = parts_->refusals.total();
  s.refusals_audited = parts_->refusals.audited();
  s.events_stored = parts_->events.stored();
  s.events_duplicate = parts_->events.duplicates();
  s.commands_in_flight = parts_->commands.in_flight();
  return s;
}

void Devices::sync() {
  parts_->shadows.flush();
  parts_->events.flush();
  writer_->sync();
}

void Devices::drop_broker_connection() {
  parts_->broker.drop();
}

void Devices::set_test_link(bool up) {
  parts_->broker.set_test_connected(up);
}

}  // namespace server::devices
