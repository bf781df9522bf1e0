import { Instant, toMs } from "../api/time";

export function when(t: Instant | null | undefined): string {
  const ms = toMs(t);
  if (ms === null) return "—";
  return new Date(ms).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function day(t: Instant | null | undefined): string {
  const ms = toMs(t);
  if (ms === null) return "—";
  return new Date(ms).toLocaleDateString(undefined, { weekday: "short", month: "short", day: "numeric" });
}

export function ago(t: Instant | null | undefined, now = Date.now()): string {
  const ms = toMs(t);
  if (ms === null) return "never";
  const s = Math.round((now - ms) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} days ago`;
}

export function countdown(msLeft: number): string {
  const s = Math.max(0, Math.floor(msLeft / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export const words = (id: string) => id.replace(/_/g, " ");
