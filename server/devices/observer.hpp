#pragma once
// Observer: how other domains hear what locks do, without the devices domain knowing them. The
// lockout domain (a backup code was used: rotate it; a jam: diagnosis evidence) and the
// maintenance domain (3 jams in 7 days: a work order) register one with the Node.
//
// Calls run on the io_context's thread after the change is durable (the event stored and
// audited, the health change written), in the order things happened for one lock. An observer
// must not block; it may call back into Devices.

#include <string>

#include "lockcore/messages.hpp"
#include "server/devices/types.hpp"

namespace server::devices {

struct LockEventInfo {
  std::string site;
  std::string lock;
  lockcore::Event event;
  // For an event naming a keypad or backup slot: the placement that held the slot then.
  std::string credential;
  std::string holder;
};

class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_lock_event(const LockEventInfo& /*event*/) {}
  // Reachability, jam, battery, keypad, motor, firmware, pairing or flakiness changed.
  virtual void on_health_change(const LockHealth& /*health*/) {}
  virtual void on_hub_health_change(const HubHealth& /*health*/) {}
};

}  // namespace server::devices
