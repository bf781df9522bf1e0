#pragma once
// EventIngest: a lock's events, stored once each, none lost.
//
// Each event is keyed by (site, lock, seq) (a `gap` covers seq..value, the numbers the lock had to
// drop). A number already stored or being written is a duplicate (the broker redelivering, the lock
// resending after a reconnect): dropped silently and counted. The rest are written through the
// batch writer (one group per burst of messages, no fsync per message). Only once they are durable:
//   - the lock is sent an events_ack (signed) with the highest number below which everything is
//     stored, at most one in flight per lock, so the lock may forget them;
//   - each event is translated into audit entries (event_audit.hpp), written with the event's
//     `audited` mark in one transaction (a crash between the two is caught up by recover());
//   - observers hear of it, and it is published on the live bus (topic "event").

#include <cstdint>
#include <string_view>
#include <vector>

#include "server/devices/burst.hpp"
#include "server/devices/context.hpp"

namespace server::devices {

class EventIngest {
 public:
  explicit EventIngest(Context& ctx);

  // Audits the events a previous run stored but did not audit. Errors: internal.
  Status recover();

  void on_event(LockRecord& lock, const lockcore::Event& event);
  // The lock is reachable again: acknowledge what is stored if the lock has not heard it.
  void lock_online(LockRecord& lock);

  // Stored events of a lock with seq > after, oldest first. Errors: not_found, internal.
  Result<std::vector<StoredEvent>> events(std::string_view site, std::string_view lock,
                                          std::uint32_t after, std::size_t limit);
  // How many sequence numbers of the lock are accounted for (stored events, gaps counted by the
  // range they cover). Errors: not_found, internal.
  Result<std::uint64_t> numbers_stored(std::string_view site, std::string_view lock);

  std::uint64_t duplicates() const { return duplicates_.value(); }
  std::uint64_t stored() const { return stored_.value(); }
  // Hands the queued burst to the writer now (tests and benchmarks).
  void flush() { incoming_.flush(); }

 private:
  struct Incoming {
    LockRecord* lock;
    lockcore::Event event;
    std::uint32_t last = 0;  // the last number this event covers
    UnixMs received = 0;
    std::string credential;  // the placement that held the event's slot, if any
    std::string holder;
  };
  // Who held `slot` when the event happened: the placement holding it now, else (a code
  // removed since) the last one stored for that slot that existed by then.
  void attribute(Incoming& in);
  Status load(LockRecord& lock);
  void write(std::vector<Incoming>& batch);
  void written(std::vector<Incoming>& batch, const store::Status& status);
  Status audit(const std::vector<Incoming>& batch);
  void maybe_ack(LockRecord& lock);

  Context& ctx_;
  Burst<Incoming> incoming_;
  http::Counter& stored_;
  http::Counter& duplicates_;
  http::Counter& write_failures_;
};

}  // namespace server::devices
