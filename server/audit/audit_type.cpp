#include "server/audit/audit_type.hpp"

#include <array>

namespace server::audit {

namespace {

// In enum order: kNames[i] names the enumerator whose value is i.
constexpr std::array<std::string_view, 72> kNames = {
    "account_created",
    "account_suspended",
    "account_reactivated",
    "sign_in",
    "sign_in_failed",
    "sign_out",
    "session_revoked",
    "password_changed",
    "password_reset",
    "mfa_enabled",
    "mfa_disabled",
    "recovery_code_used",
    "device_enrolled",
    "device_removed",
    "identity_verified",
    "admin_restored",
    "refresh_token_reused",
    "recovery_codes_regenerated",
    "site_created",
    "unit_created",
    "unit_changed",
    "unit_removed",
    "membership_started",
    "membership_changed",
    "membership_ended",
    "ownership_transfer_started",
    "ownership_transferred",
    "ownership_transfer_cancelled",
    "code_created",
    "code_deleted",
    "lock_registered",
    "hub_registered",
    "lock_commissioned",
    "lock_reenrolled",
    "lock_epoch_changed",
    "lock_online",
    "lock_offline",
    "hub_online",
    "hub_offline",
    "unlock_requested",
    "lock_requested",
    "unlocked",
    "locked",
    "unlock_denied",
    "command_failed",
    "command_refused",
    "jammed",
    "jam_cleared",
    "wrong_code_limit",
    "battery_low",
    "battery_depleted",
    "motor_fault",
    "keypad_fault",
    "door_forced",
    "event_gap",
    "credential_set",
    "credential_removed",
    "credential_failed",
    "digital_key_issued",
    "digital_key_revoked",
    "message_refused",
    "lockout_reported",
    "lockout_action_taken",
    "lockout_resolved",
    "lockout_escalated",
    "backup_code_issued",
    "backup_code_viewed",
    "backup_code_used",
    "backup_code_link_expired",
    "work_order_opened",
    "work_order_taken",
    "work_order_closed",
};
static_assert(kNames.size() == static_cast<std::size_t>(AuditType::work_order_closed) + 1,
              "every AuditType needs its name, in enum order");

}  // namespace

std::string_view to_string(AuditType type) {
  return kNames[static_cast<std::size_t>(type)];
}

std::optional<AuditType> audit_type_from(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<AuditType>(i);
  }
  return std::nullopt;
}

}  // namespace server::audit
