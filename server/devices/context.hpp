#pragma once
// Context: what every part of the devices domain shares (internal to server/devices). The parts
// are built and wired by Devices (devices.cpp); each reaches the others through here.

#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/json/object.hpp>

#include "lockcore/platform.hpp"
#include "runtime/scheduler.hpp"
#include "server/audit/audit_log.hpp"
#include "server/common/error.hpp"
#include "server/devices/model.hpp"
#include "server/devices/observer.hpp"
#include "server/devices/options.hpp"
#include "server/http/metrics.hpp"
#include "server/live/bus.hpp"
#include "server/store/batch_writer.hpp"
#include "server/store/database.hpp"

namespace server::devices {

class BrokerLink;
class Registry;
class Health;
class Commands;
class Placements;
class Shadows;
class EventIngest;
class Commissioning;
class DigitalKeys;
class Refusals;

struct Context {
  Context(boost::asio::io_context& io, runtime::Scheduler& scheduler, store::Database& db,
          audit::AuditLog& audit, live::Bus& live, http::Registry& metrics,
          store::BatchWriter& writer, const DevicesOptions& options)
      : io(io),
        scheduler(scheduler),
        db(db),
        audit(audit),
        live(live),
        metrics(metrics),
        writer(writer),
        options(options) {}

  boost::asio::io_context& io;
  runtime::Scheduler& scheduler;
  store::Database& db;
  audit::AuditLog& audit;
  live::Bus& live;
  http::Registry& metrics;
  store::BatchWriter& writer;
  const DevicesOptions& options;
  Model model;
  lockcore::SodiumRandom random;
  std::vector<Observer*> observers;

  BrokerLink* broker = nullptr;
  Registry* registry = nullptr;
  Health* health = nullptr;
  Commands* commands = nullptr;
  Placements* placements = nullptr;
  Shadows* shadows = nullptr;
  EventIngest* events = nullptr;
  Commissioning* commissioning = nullptr;
  DigitalKeys* keys = nullptr;
  Refusals* refusals = nullptr;

  UnixMs now() const { return scheduler.now(); }
  // A lock that exists, or not_found naming it (never revealing another site's lock).
  Result<LockRecord*> find_lock(std::string_view site, std::string_view lock);
  Result<SiteRecord*> find_site(std::string_view site);
  void publish_live(std::string_view site, std::string_view topic, const boost::json::object& json);
  // Appends an audit entry through db (call inside the act's transaction).
  Status audit_entry(audit::AuditType type, std::string actor, std::string site,
                     std::string subject, const boost::json::object& detail);
};

// Runs `body` (returning Status) inside one transaction on `db`: committed (as durably as
// `durability` says) when it succeeds, rolled back otherwise.
template <class Body>
Status in_transaction(store::Database& db, Body&& body,
                      store::Durability durability = store::Durability::power_loss) {
  auto tx = db.begin(durability);
  if (!tx) return fail(Error::from_store(tx.error()));
  Status done = body();
  if (!done) return done;
  auto committed = tx->commit();
  if (!committed) return fail(Error::from_store(committed.error()));
  return {};
}

Error store_failure(const store::Error& error);

// Runs one query and reads each row with `read` (const store::Row& -> Result<T>): the whole list,
// or the first error.
template <class Read>
auto query_rows(store::Database& db, std::string_view sql, const store::Params& params, Read read)
    -> Result<std::vector<typename std::invoke_result_t<Read, const store::Row&>::value_type>> {
  using T = typename std::invoke_result_t<Read, const store::Row&>::value_type;
  auto rows = db.query(sql, params);
  if (!rows) return fail(store_failure(rows.error()));
  std::vector<T> out;
  out.reserve(rows->size());
  for (const store::Row& row : *rows) {
    auto value = read(row);
    if (!value) return fail(value.error());
    out.push_back(std::move(*value));
  }
  return out;
}

// Lowercase hex of any bytes; from_hex refuses anything but exactly out.size() bytes of it.
std::string to_hex(std::span<const std::uint8_t> bytes);
bool from_hex(std::string_view hex, std::span<std::uint8_t> out);

// "lock:u204", "hub:hub-1".
std::string lock_subject(std::string_view lock);
std::string hub_subject(std::string_view hub);

}  // namespace server::devices
