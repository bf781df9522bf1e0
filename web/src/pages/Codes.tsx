// The person's keypad codes with each lock's sync status (never silently missing: pending, set,
// failed with the lock's reason, removing), and guest codes with a window and a weekly schedule.
import { useState } from "preact/hooks";
import { Code, createCode, deleteCode, listCodes, statusWords } from "../api/codes";
import { listLocks } from "../api/devices";
import { useAction, useAsync } from "../ui/hooks";
import { useLockNames } from "../ui/lock_names";
import { Badge, describedBy, Empty, ErrorNote, Field, fieldError, Loading } from "../ui/parts";
import { ScheduleEditor } from "../ui/schedule";
import { anyTime, formatSchedule, scheduleProblem } from "../ui/schedule_text";
import { when } from "../ui/format";
import { lockError } from "../api/devices";

export function Codes({ site }: { site: string }) {
  const codes = useAsync(() => listCodes(site), [site]);
  const lockName = useLockNames(site);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<{ name: string; pin: string } | null>(null);
  return (
    <section aria-labelledby="codes-title">
      <h1 id="codes-title">Codes</h1>
      {created && (
        <div class="note note-ok" role="status">
          <strong>Guest code for {created.name}: <span class="pin">{created.pin}</span></strong>
          <p>Share it with your guest. It is being sent to the locks now; each lock's status shows below.</p>
        </div>
      )}
      {adding ? (
        <GuestCodeForm site={site} onDone={(c) => { setAdding(false); if (c) { setCreated(c); codes.reload(); } }} />
      ) : (
        <button type="button" class="primary" onClick={() => setAdding(true)}>New guest code</button>
      )}
      {codes.loading && !codes.data && <Loading what="your codes" />}
      <ErrorNote error={codes.error} />
      {codes.data && codes.data.codes.length === 0 && <Empty>No codes yet.</Empty>}
      <ul class="cards">
        {codes.data?.codes.map((c) => <li><CodeCard code={c} site={site} lockName={lockName} onDeleted={codes.reload} /></li>)}
      </ul>
    </section>
  );
}

function CodeCard({ code, site, lockName, onDeleted }: { code: Code; site: string; lockName: (lock: string) => string; onDeleted: () => void }) {
  const del = useAction(async () => { await deleteCode(site, code.id); onDeleted(); return true; });
  return (
    <article class="card" aria-labelledby={`code-${code.id}`}>
      <h2 id={`code-${code.id}`}>{code.name} <span class="muted">({code.kind === "own" ? "own code" : code.kind})</span></h2>
      {(code.valid_from || code.valid_until) && <p>From {when(code.valid_from)} until {when(code.valid_until)}</p>}
      {code.schedule && <p>Works {code.schedule}</p>}
      <div class="table-wrap" tabIndex={0}><table class="compact">
        <caption class="visually-hidden">Status on each door</caption>
        <thead><tr><th scope="col">Door</th><th scope="col">Status</th></tr></thead>
        <tbody>
          {code.locks.map((l) => (
            <tr>
              <td>{lockName(l.lock)}</td>
              <td>
                <Badge tone={l.status === "set" ? "ok" : l.status === "failed" ? "bad" : "warn"}>{statusWords(l.status)}</Badge>
                {l.error && <span class="muted"> — {lockError(l.error)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table></div>
      <button type="button" onClick={() => confirm(`Delete the code ${code.name}?`) && del.run()} disabled={del.busy}>Delete</button>
      <ErrorNote error={del.error} />
    </article>
  );
}

function GuestCodeForm({ site, onDone }: { site: string; onDone: (c: { name: string; pin: string } | null) => void }) {
  const locks = useAsync(() => listLocks(site), [site]);
  const [name, setName] = useState("");
  const [pin, setPin] = useState("");
  const [doors, setDoors] = useState<Set<string>>(new Set());
  const [from, setFrom] = useState("");
  const [until, setUntil] = useState("");
  const [weekly, setWeekly] = useState(anyTime());
  const act = useAction(() =>
    createCode(site, {
      name: name.trim(),
      kind: "guest",
      ...(pin ? { pin } : {}),
      locks: [...doors],
      valid_from: from ? new Date(from).toISOString() : null,
      valid_until: until ? new Date(until).toISOString() : null,
      schedule: formatSchedule(weekly),
    }),
  );
  const fe = (f: string) => fieldError(act.error, f);
  return (
    <form
      class="card"
      aria-labelledby="guest-title"
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const c = await act.run();
        if (c) onDone({ name: c.name, pin: c.pin });
      }}
    >
      <h2 id="guest-title">New guest code</h2>
      <Field id="guest-name" label="Guest's name" error={fe("name")}>
        <input id="guest-name" value={name} required aria-describedby={describedBy("guest-name", undefined, fe("name"))} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </Field>
      <Field id="guest-pin" label="Code (optional)" hint="4 to 8 digits. Leave empty and we will pick one." error={fe("pin")}>
        <input id="guest-pin" inputMode="numeric" pattern="[0-9]*" value={pin} aria-describedby={describedBy("guest-pin", "hint", fe("pin"))} onInput={(e) => setPin((e.target as HTMLInputElement).value.replace(/\D/g, ""))} />
      </Field>
      <fieldset>
        <legend>Doors</legend>
        {locks.error && <ErrorNote error={locks.error} />}
        {locks.data?.locks.map((l) => (
          <label class="inline">
            <input type="checkbox" checked={doors.has(l.id)} onChange={() => { const n = new Set(doors); n.has(l.id) ? n.delete(l.id) : n.add(l.id); setDoors(n); }} /> {l.name}
          </label>
        ))}
        {fe("locks") && <p class="field-error">{fe("locks")}</p>}
      </fieldset>
      <div class="row">
        <Field id="guest-from" label="Starts" error={fe("valid_from")}>
          <input id="guest-from" type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="guest-until" label="Ends" error={fe("valid_until")}>
          <input id="guest-until" type="datetime-local" value={until} onInput={(e) => setUntil((e.target as HTMLInputElement).value)} />
        </Field>
      </div>
      <ScheduleEditor value={weekly} onChange={setWeekly} idPrefix="guest" error={fe("schedule")} />
      {act.error && !act.error.field && <ErrorNote error={act.error} />}
      <div class="actions">
        <button type="button" onClick={() => onDone(null)}>Cancel</button>
        <button type="submit" class="primary" disabled={act.busy || !!scheduleProblem(weekly)}>{act.busy ? "Creating…" : "Create guest code"}</button>
      </div>
    </form>
  );
}
