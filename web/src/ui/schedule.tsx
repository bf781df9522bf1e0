// The weekly schedule editor: days and a time span, written the way the server reads schedules
// ("Mo-Fr 08:00-17:00", "Sa,Su 10:00-14:00"; access's Invitation.schedule).
import { describedBy } from "./parts";

import { formatSchedule, kDays, scheduleProblem, Weekly } from "./schedule_text";

const kDayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function ScheduleEditor({ value, onChange, idPrefix, error }: { value: Weekly; onChange: (w: Weekly) => void; idPrefix: string; error?: string }) {
  const s = formatSchedule(value);
  error = error ?? scheduleProblem(value) ?? undefined;
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
