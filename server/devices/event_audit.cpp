#include "server/devices/event_audit.hpp"

#include "protocol/names.hpp"
#include "server/devices/context.hpp"

namespace server::devices {

std::vector<EventAudit> audit_entries(const lockcore::Event& e, const std::string& credential,
                                      const std::string& holder) {
  using audit::AuditType;
  using lockcore::EventType;
  boost::json::object d{{"seq", e.seq}, {"ts", e.ts}};
  if (e.source != lockcore::AccessSource::none) d["source"] = protocol::wire_name(e.source);
  if (e.reason != lockcore::DenyReason::none) d["reason"] = protocol::wire_name(e.reason);
  if (e.slot != 0) d["slot"] = e.slot;
  if (!credential.empty()) d["credential"] = credential;
  if (!holder.empty()) d["holder"] = holder;
  if (e.source == lockcore::AccessSource::bluetooth) d["key"] = to_hex(e.key);
  if (e.source == lockcore::AccessSource::offline_pin) d["offline_pin"] = e.value;

  switch (e.type) {
    case EventType::unlocked: {
      std::vector<EventAudit> out{{AuditType::unlocked, d}};
      if (e.source == lockcore::AccessSource::backup_code) {
        out.push_back({AuditType::backup_code_used, d});
      }
      return out;
    }
    case EventType::locked:
      return {{AuditType::locked, d}};
    case EventType::unlock_denied:
      return {{AuditType::unlock_denied, d}};
    case EventType::jammed:
      return {{AuditType::jammed, d}};
    case EventType::jam_cleared:
      return {{AuditType::jam_cleared, d}};
    case EventType::wrong_code_limit:
      d["disabled_s"] = e.value;
      return {{AuditType::wrong_code_limit, d}};
    case EventType::battery_low:
      d["battery_pct"] = e.value;
      return {{AuditType::battery_low, d}};
    case EventType::battery_depleted:
      return {{AuditType::battery_depleted, d}};
    case EventType::motor_fault:
      return {{AuditType::motor_fault, d}};
    case EventType::keypad_fault:
      return {{AuditType::keypad_fault, d}};
    case EventType::door_forced:
      return {{AuditType::door_forced, d}};
    case EventType::gap:
      d["first_lost"] = e.seq;
      d["last_lost"] = e.value;
      return {{AuditType::event_gap, d}};
    case EventType::factory_reset:
    case EventType::paired:
      // Audited by the server's own acts: lock_epoch_changed when the new epoch is noticed,
      // lock_commissioned / lock_reenrolled when pairing completes.
      return {};
  }
  return {};
}

}  // namespace server::devices
