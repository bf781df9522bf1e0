// Keypad codes: one's own, guest codes (window + weekly schedule), codes fanned out to many
// locks, with each lock's sync status (server/api/openapi/codes.json).
import { api } from "./client";
import { Instant } from "./time";

export type CredentialStatus = "pending" | "set" | "failed" | "removing" | "removed";
export interface CodeOnLock { lock: string; status: CredentialStatus; error?: string; updated: Instant }
export interface Removal { code: string; lock: string; status: CredentialStatus }
export interface Code {
  id: string;
  site: string;
  name: string;
  kind: "own" | "guest" | "staff";
  holder: string; // account id or the guest's name
  created_by: string;
  max_uses?: number;
  locks: CodeOnLock[];
  valid_from: string | null;
  valid_until: string | null;
  schedule: string | null; // "Mo-Fr 08:00-17:00"
  created: string;
}
export interface NewCode {
  name: string;
  kind: "own" | "guest" | "staff";
  pin?: string; // omitted: the server picks one and shows it once
  holder?: string; // staff codes only: the member's account id
  locks: string[];
  valid_from?: string | null;
  valid_until?: string | null;
  schedule?: string | null;
}
export interface Fanout { credential: string; locks: number; pending: number; set: number; failed: number; removing: number; removed: number }

export const listCodes = (site: string) =>
  api.get<{ codes: Code[] }>("/api/v1/sites/{site}/codes", { params: { site } });
export const createCode = (site: string, code: NewCode) =>
  api.post<Code & { pin: string }>("/api/v1/sites/{site}/codes", { params: { site }, body: code });
export const deleteCode = (site: string, code: string) =>
  api.del<void>("/api/v1/sites/{site}/codes/{code}", { params: { site, code } });
export const codeProgress = (site: string, code: string) =>
  api.get<Fanout>("/api/v1/sites/{site}/codes/{code}/progress", { params: { site, code } });
/** Codes still to be removed after a move-out: "removal pending on N doors". */
export const removalsOf = (site: string, account: string) =>
  api.get<{ pending: Removal[] }>("/api/v1/sites/{site}/accounts/{account}/removals", { params: { site, account } });

export function statusWords(s: CredentialStatus): string {
  switch (s) {
    case "pending": return "Waiting to reach the lock";
    case "set": return "On the lock";
    case "failed": return "Failed to set";
    case "removing": return "Being removed";
    case "removed": return "Removed";
  }
}
