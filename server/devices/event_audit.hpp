#pragma once
// How a lock's event reads in the audit log: which entries it makes (unlocked, locked,
// unlock_denied with the reason, jammed, jam_cleared, wrong_code_limit, battery_low,
// battery_depleted, motor_fault, keypad_fault, door_forced, event_gap, and backup_code_used next to
// the unlocked of a backup slot) and what they say (the source; for a keypad or backup slot, which
// credential and whose; for Bluetooth, the key). A pure function, so the mapping is tested alone.

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "lockcore/messages.hpp"
#include "server/audit/audit_type.hpp"

namespace server::devices {

struct EventAudit {
  audit::AuditType type;
  boost::json::object detail;
};

// `credential` and `holder`: the placement that held the event's slot, if any (else empty).
std::vector<EventAudit> audit_entries(const lockcore::Event& event, const std::string& credential,
                                      const std::string& holder);

}  // namespace server::devices
