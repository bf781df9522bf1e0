#pragma once
// Every kind of security-relevant act the audit log records. The wire names are stable: the API,
// the web app and scenario files (`audit_includes`) use them.

#include <optional>
#include <string_view>

namespace server::audit {

enum class AuditType {
  // identity
  account_created,
  account_suspended,
  account_reactivated,
  sign_in,
  sign_in_failed,
  sign_out,
  session_revoked,
  password_changed,
  password_reset,
  mfa_enabled,
  mfa_disabled,
  recovery_code_used,
  device_enrolled,
  device_removed,
  identity_verified,
  admin_restored,
  refresh_token_reused,
  recovery_codes_regenerated,
  // access
  site_created,
  unit_created,
  unit_changed,
  unit_removed,
  membership_started,
  membership_changed,
  membership_ended,
  ownership_transfer_started,
  ownership_transferred,
  ownership_transfer_cancelled,
  code_created,
  code_deleted,
  // devices
  lock_registered,
  hub_registered,
  lock_commissioned,
  lock_reenrolled,
  lock_epoch_changed,
  lock_online,
  lock_offline,
  hub_online,
  hub_offline,
  unlock_requested,
  lock_requested,
  unlocked,
  locked,
  unlock_denied,
  command_failed,
  command_refused,
  jammed,
  jam_cleared,
  wrong_code_limit,
  battery_low,
  battery_depleted,
  motor_fault,
  keypad_fault,
  door_forced,
  event_gap,
  credential_set,
  credential_removed,
  credential_failed,
  digital_key_issued,
  digital_key_revoked,
  message_refused,
  // lockout
  lockout_reported,
  lockout_action_taken,
  lockout_resolved,
  lockout_escalated,
  backup_code_issued,
  backup_code_viewed,
  backup_code_used,
  backup_code_link_expired,
  // maintenance
  work_order_opened,
  work_order_taken,
  work_order_closed,
};

std::string_view to_string(AuditType type);
std::optional<AuditType> audit_type_from(std::string_view name);

}  // namespace server::audit
