// lockout: the I'm Locked Out wizard's report, its diagnosis and plan, recovery actions, backup
// codes and the backup-code link page; the manager's lockout cases with their timelines.
// Shapes: server/api/openapi/lockout.json (server/api/lockout_routes.cpp's case_json).
import { api } from "./client";
import { Instant } from "./time";

export type Symptom =
  | "cannot_sign_in" | "lock_offline_in_app" | "lock_missing_in_app" | "pairing_fails"
  | "can_view_cannot_unlock" | "code_rejected" | "keypad_x_pattern" | "keypad_dark"
  | "unusual_beep" | "motor_runs_bolt_stuck" | "key_wont_turn" | "no_response";

export type Source = "report" | "phone" | "account" | "membership" | "credential" | "telemetry" | "event" | "shadow" | "site";
export interface Evidence { source: Source; fact: string }
export interface Cause {
  id: string;
  layer: "account" | "enrollment" | "connectivity" | "authorization" | "keypad" | "hardware";
  confidence: number;
  suspected: boolean;
  needs_on_door_test: boolean;
  evidence: Evidence[];
}
export interface PathStatus { path: "physical_key" | "own_code" | "app" | "bluetooth" | "keypad"; alive: boolean; after_cooldown: boolean; why: string }
export interface PlanStep {
  action: string;
  rank: number;
  addresses?: string | null;
  steps: string[];
  wait_s?: number;
  work_order?: string | null;
  request?: boolean; // offered to a caller who is not signed in: the request itself checks the account
}
export interface Diagnosis { causes: Cause[]; paths: PathStatus[]; plan: PlanStep[] }
/** One step of a case's timeline: an action taken, by whom, and how it went. */
export interface CaseAction {
  seq: number;
  action: string;
  by: string;
  at: Instant;
  outcome: "done" | "requested" | "advised" | "failed";
  detail?: Record<string, unknown>;
}
export interface LockoutCase {
  id: string;
  site: string;
  door: string; // the lock's id
  account: string | null;
  status: "open" | "resolved" | "escalated";
  verification: "none" | "session" | "identity_checked";
  opened_at: Instant;
  resolved_at: Instant | null;
  resolved_by: string | null;
  duration_ms: number | null;
  symptoms: Symptom[];
  diagnosis: Diagnosis;
  actions: CaseAction[];
}
/** The door by its lock id (picked from one's own doors) or by the unit the person typed. */
export interface Report { site: string; door?: string; unit?: string; symptoms: Symptom[] }
export interface BackupRequest { site: string; door: string; by: "email" | "phone"; value: string; case?: string }
export interface BackupLink { code: string; lock_name: string; site_name?: string; expires_at: Instant }

/** Opens a case (no sign-in needed; signed in, the server also uses the account's facts). */
export const reportLockout = (r: Report) => api.post<LockoutCase>("/api/v1/lockout/cases", { body: r });
export const getCase = (id: string) => api.get<LockoutCase>("/api/v1/lockout/cases/{case}", { params: { case: id } });
export const takeAction = (id: string, action: string) =>
  api.post<LockoutCase>("/api/v1/lockout/cases/{case}/actions", { params: { case: id }, body: { action } });
/** The answer is the same whether or not an account matches (DESIGN.md invariant 3). */
export const requestBackupCode = (r: BackupRequest) =>
  api.post<{ message?: string }>("/api/v1/lockout/backup-codes", { body: r });
export const openBackupLink = (token: string) =>
  api.get<BackupLink>("/api/v1/lockout/backup-links/{token}", { params: { token }, auth: false });
/** The site's cases, newest first as served; the route takes no filter, so `status` is applied here. */
export async function listCases(site: string, status?: string) {
  const all = await api.get<{ cases: LockoutCase[] }>("/api/v1/sites/{site}/lockout/cases", { params: { site } });
  return { cases: status ? all.cases.filter((c) => c.status === status) : all.cases };
}
