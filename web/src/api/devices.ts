// devices: locks, hubs, their health, unlock/lock as action attempts, battery history.
// Shapes: server/api/openapi/devices.json.
import { api } from "./client";
import { Instant } from "./time";

export type Reachability = "unknown" | "online" | "offline";
export type Bolt = "locked" | "unlocked" | "jammed" | "unknown";

export interface LockHealth {
  lock: string;
  reachability: Reachability;
  offline_reason?: string;
  last_seen: Instant;
  flaky: boolean;
  offline_transitions_24h: number;
  in_sync: boolean;
  bolt?: Bolt;
  door?: "open" | "closed" | "unknown";
  keypad?: "ok" | "disabled" | "fault" | string;
  battery?: { pct: number; mv: number };
  rssi?: number;
  firmware?: string;
  jammed?: boolean;
  motor_fault?: boolean;
}
export interface Lock {
  site: string;
  id: string;
  name: string;
  unit: string | null;
  link: string; // hub id, "wifi" or "none"
  keypad: boolean;
  bluetooth: boolean;
  paired: boolean;
  needs_reenroll: boolean;
  health: LockHealth;
}
export interface HubHealth {
  hub: string;
  name?: string;
  reachability: Reachability;
  last_seen: Instant;
  links: { lock: string; up: boolean; rssi: number }[];
}
export type CommandStatus = "pending" | "sent" | "succeeded" | "failed" | "timed_out";
export interface Command {
  id: string;
  lock: string;
  op: "unlock" | "lock";
  status: CommandStatus;
  error?: string;
  confirmed_by_device: boolean;
  bolt?: Bolt;
  requested_by?: string;
  created: Instant;
  expires: Instant;
  updated: Instant;
}
export interface BatterySample { at: Instant; pct: number; mv?: number }
export interface BatteryHistory {
  samples: BatterySample[];
  forecast?: { pct_per_day: number; empty_at: Instant } | null;
}

export const listLocks = (site: string) =>
  api.get<{ locks: Lock[] }>("/api/v1/sites/{site}/locks", { params: { site } });
export const listHubs = (site: string) =>
  api.get<{ hubs: HubHealth[] }>("/api/v1/sites/{site}/hubs", { params: { site } });
/** Answers once the lock acknowledged or the attempt's deadline passed (202 while still open). */
export const unlock = (site: string, lock: string) =>
  api.post<Command>("/api/v1/sites/{site}/locks/{lock}/unlock", { params: { site, lock } });
export const lockDoor = (site: string, lock: string) =>
  api.post<Command>("/api/v1/sites/{site}/locks/{lock}/lock", { params: { site, lock } });
export const getCommand = (site: string, command: string) =>
  api.get<Command>("/api/v1/sites/{site}/commands/{command}", { params: { site, command } });
export const batteryHistory = (site: string, lock: string, days = 30) =>
  api.get<BatteryHistory>("/api/v1/sites/{site}/locks/{lock}/battery", {
    params: { site, lock },
    query: { from: new Date(Date.now() - days * 86400_000).toISOString() },
  });

/** The person's words for a command's state. */
export function commandText(c: Command): string {
  const what = c.op === "unlock" ? "Unlock" : "Lock";
  switch (c.status) {
    case "pending": return `${what}: preparing the command…`;
    case "sent": return `${what}: sent, waiting for the lock to answer…`;
    case "succeeded":
      return c.confirmed_by_device
        ? `${c.op === "unlock" ? "Unlocked" : "Locked"}: the lock confirmed it.`
        : `${what}: the server believes it worked, but the lock has not confirmed it.`;
    case "failed": return `${what} failed: the lock answered “${lockError(c.error)}”.`;
    case "timed_out":
      return `${what}: no answer from the lock in time. It may or may not have moved; check the door.`;
  }
}

export function lockError(e?: string): string {
  switch (e) {
    case "jammed": return "the bolt is jammed — push or pull the door and try again";
    case "no_power": return "the battery is empty";
    case "motor_fault": return "the motor is faulty";
    case "not_sent": return "the command could not be sent";
    case undefined: case "": return "unknown error";
    default: return e.replace(/_/g, " ");
  }
}
