// The weekly schedule editor: days and a time span, written the way the server reads schedules
// ("Mo-Fr 08:00-17:00", "Sa,Su 10:00-14:00"; access's Invitation.schedule).
import { describedBy } from "./parts";

export const kDays = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const kDayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export interface Weekly { days: boolean[]; from: string; until: string }
export const anyTime = (): Weekly => ({ days: Array(7).fill(false), from: "08:00", until: "18:00" });

/** "Mo-Fr 08:00-17:00"; null when no day is picked (any time). Runs of 3+ days become ranges. */
export function formatSchedule(w: Weekly): string | null {
  const parts: string[] = [];
  for (let i = 0; i < 7; ) {
    if (!w.days[i]) { i++; continue; }
    let j = i;
    while (j + 1 < 7 && w.days[j + 1]) j++;
    if (j - i >= 2) parts.push(`${kDays[i]}-${kDays[j]}`);
    else for (let k = i; k <= j; k++) parts.push(kDays[k]);
    i = j + 1;
  }
  return parts.length ? `${parts.join(",")} ${w.from}-${w.until}` : null;
}

export function ScheduleEditor({ value, onChange, idPrefix, error }: { value: Weekly; onChange: (w: Weekly) => void; idPrefix: string; error?: string }) {
  const s = formatSchedule(value);
  return (
    <fieldset class="schedule" aria-describedby={describedBy(`${idPrefix}-schedule`, "hint", error)}>
      <legend>Weekly schedule</legend>
      <p class="hint" id={`${idPrefix}-schedule-hint`}>Leave every day unticked for any time within the dates.</p>
      <div class="days">
        {kDays.map((d, i) => (
          <label class="day">
            <input
              type="checkbox"
              checked={value.days[i]}
              aria-label={kDayNames[i]}
              onChange={() => onChange({ ...value, days: value.days.map((x, k) => (k === i ? !x : x)) })}
            />
            <span aria-hidden="true">{d}</span>
          </label>
        ))}
      </div>
      <div class="times">
        <label for={`${idPrefix}-from`}>From</label>
        <input id={`${idPrefix}-from`} type="time" value={value.from} disabled={!s} onInput={(e) => onChange({ ...value, from: (e.target as HTMLInputElement).value })} />
        <label for={`${idPrefix}-until`}>until</label>
        <input id={`${idPrefix}-until`} type="time" value={value.until} disabled={!s} onInput={(e) => onChange({ ...value, until: (e.target as HTMLInputElement).value })} />
      </div>
      <p class="muted" aria-live="polite">{s ? `Works ${s}` : "Works at any time"}</p>
      {error && <p class="field-error" id={`${idPrefix}-schedule-error`}>{error}</p>}
    </fieldset>
  );
}
