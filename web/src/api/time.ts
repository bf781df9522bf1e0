// The API gives times as RFC 3339 strings; the live bus as Unix milliseconds. Either reads here.
export type Instant = string | number;

export function toMs(t: Instant | null | undefined): number | null {
  if (t === null || t === undefined || t === "" || t === 0) return null;
  return typeof t === "number" ? t : Date.parse(t);
}
