// Weekly schedules as the server reads them ("Mo-Fr 08:00-17:00", "Sa,Su 10:00-14:00").
export const kDays = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

export interface Weekly { days: boolean[]; from: string; until: string }
export const anyTime = (): Weekly => ({ days: Array(7).fill(false), from: "08:00", until: "18:00" });

/** "Mo-Fr 08:00-17:00"; null when no day is picked (any time). Runs of two or more days become
 * ranges, as server/access/schedule.hpp writes them ("Mo-Fr", "Mo,We,Fr", "Mo,Fr-Su"). */
export function formatSchedule(w: Weekly): string | null {
  const parts: string[] = [];
  for (let i = 0; i < 7; ) {
    if (!w.days[i]) { i++; continue; }
    let j = i;
    while (j + 1 < 7 && w.days[j + 1]) j++;
    if (j - i >= 1) parts.push(`${kDays[i]}-${kDays[j]}`);
    else for (let k = i; k <= j; k++) parts.push(kDays[k]);
    i = j + 1;
  }
  return parts.length ? `${parts.join(",")} ${w.from}-${w.until}` : null;
}


/** What is wrong with the times, in plain words, or null. The server keeps one range a day:
 * the end must come after the start on the same day (24:00 allowed). */
export function scheduleProblem(w: Weekly): string | null {
  if (!w.days.some(Boolean)) return null;
  if (!/^\d\d:\d\d$/.test(w.from) || !/^\d\d:\d\d$/.test(w.until)) return "Enter both times as hours and minutes.";
  if (w.until <= w.from) return "The end must be later than the start on the same day (a range cannot pass midnight).";
  return null;
}
