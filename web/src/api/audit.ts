// The site's audit log with filters (server/api/openapi/audit.json).
import { api } from "./client";
import { Instant } from "./time";

export interface AuditEntry { id: string; seq: number; at: Instant; type: string; actor: string; target: string; detail: string /* a JSON object, as text */ }
export interface AuditFilter { type?: string; actor?: string; target?: string; from?: string; until?: string; before?: string }

export const listAudit = (site: string, f: AuditFilter = {}) =>
  api.get<{ entries: AuditEntry[]; next?: string | null }>("/api/v1/sites/{site}/audit", {
    params: { site },
    query: { ...f, limit: 100 },
  });

/** Entry types (shared/scenarios/README.md), for the filter. */
export const kAuditTypes = [
  "sign_in", "sign_in_failed", "device_enrolled", "device_removed", "password_reset", "identity_verified",
  "admin_restored", "unlocked", "locked", "unlock_denied", "jammed", "wrong_code_limit", "battery_low",
  "lock_offline", "lock_online", "lock_epoch_changed", "lock_reenrolled", "credential_set",
  "credential_removed", "credential_failed", "membership_started", "membership_ended",
  "ownership_transfer_started", "ownership_transferred", "lockout_reported", "lockout_resolved",
  "backup_code_issued", "backup_code_viewed", "backup_code_used", "backup_code_link_expired",
  "work_order_opened",
];
