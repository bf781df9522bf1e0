#pragma once
// The devices domain's tables (all named device_*):
//   device_sites       one Ed25519 key pair per site (the secret never leaves the server) and the
//                      site's UTC offset for keypad schedules
//   device_hubs        hubs (bridges)
//   device_locks       locks: identity, link, capacity, pairing, epoch, shadow versions, the event
//                      sequence acknowledged to the lock
//   device_health      the last known health of each lock and hub (written through the batch
//                      writer; online/offline also by the transitions that audit it)
//   device_transitions online/offline transitions (flaky detection, history)
//   device_battery     battery samples for trends
//   device_placements  keypad codes placed on locks, with their slot and status
//   device_commands    action attempts (unlock, lock, pair)
//   device_events      lock events, unique by (site, lock, seq)
//   device_keys        digital keys issued for the Bluetooth path, and their revocation

#include <vector>

#include "server/store/migrations.hpp"

namespace server::devices {

std::vector<store::Migration> migrations();

}  // namespace server::devices
