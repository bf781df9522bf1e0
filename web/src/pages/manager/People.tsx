// People, units and roles; move-in (a resident's membership for a unit, from a date) and move-out
// (ending it), after which the resident's codes are withdrawn from every door: "removal pending
// on N doors" until each lock has reported them gone.
import { useEffect, useState } from "preact/hooks";
import { createUnit, endMembership, invitePerson, kRoles, listPeople, listUnits, memberName, Membership, Role, changeRole } from "../../api/access";
import { removalsOf } from "../../api/codes";
import { ApiError } from "../../api/errors";
import { useAction, useAsync } from "../../ui/hooks";
import { Badge, describedBy, Empty, ErrorNote, Field, fieldError, Loading } from "../../ui/parts";
import { when } from "../../ui/format";

export function People({ site }: { site: string }) {
  const people = useAsync(() => listPeople(site), [site]);
  const units = useAsync(() => listUnits(site), [site]);
  const [movedOut, setMovedOut] = useState<Membership | null>(null);
  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title">People &amp; units</h1>
      {movedOut && <MoveOutProgress site={site} m={movedOut} />}
      <MoveIn site={site} units={units.data?.units.map((u) => u.id) ?? []} onDone={people.reload} />
      <h2>People</h2>
      {people.loading && !people.data && <Loading what="people" />}
      <ErrorNote error={people.error} />
      {people.data?.people.length === 0 && <Empty>Nobody yet.</Empty>}
      {people.data && people.data.people.length > 0 && (
        <div class="table-wrap" tabIndex={0}><table>
          <caption class="visually-hidden">Memberships at this site</caption>
          <thead><tr><th scope="col">Person</th><th scope="col">Unit</th><th scope="col">Role</th><th scope="col">Valid</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {people.data.people.map((m) => <PersonRow site={site} m={m} onChange={people.reload} onMovedOut={setMovedOut} />)}
          </tbody>
        </table></div>
      )}
      <h2>Units</h2>
      <ErrorNote error={units.error} />
      <ul class="plain">{units.data?.units.map((u) => <li>{u.name} <span class="muted">({u.id})</span></li>)}</ul>
      <NewUnit site={site} onDone={units.reload} />
    </section>
  );
}

function PersonRow({ site, m, onChange, onMovedOut }: { site: string; m: Membership; onChange: () => void; onMovedOut: (m: Membership) => void }) {
  const role = useAction(async (r: Role) => { await changeRole(site, m.id, r); onChange(); return true; });
  const end = useAction(async () => { await endMembership(site, m.id); onMovedOut(m); onChange(); return true; });
  const isResident = m.role === "resident" && m.unit;
  return (
    <tr>
      <td>{memberName(m)} {m.status !== "active" && <Badge tone="warn">{m.status}</Badge>}</td>
      <td>{m.unit ?? "whole site"}</td>
      <td>
        <label class="visually-hidden" for={`role-${m.id}`}>Role of {memberName(m)}</label>
        <select id={`role-${m.id}`} value={m.role} disabled={role.busy || m.role === "owner"} onChange={(e) => role.run((e.target as HTMLSelectElement).value as Role)}>
          {kRoles.map((r) => <option value={r} disabled={r === "owner"}>{r}</option>)}
        </select>
        <ErrorNote error={role.error} />
      </td>
      <td>{m.valid_from || m.valid_until ? `${when(m.valid_from)} – ${when(m.valid_until)}` : "open-ended"}{m.schedule ? ` · ${m.schedule}` : ""}</td>
      <td>
        {m.role !== "owner" && (
          <button type="button" class="danger" disabled={end.busy}
            onClick={() => confirm(isResident ? `Move ${memberName(m)} out of ${m.unit}? Their codes will be removed from every door.` : `End ${memberName(m)}'s membership?`) && end.run()}>
            {isResident ? "Move out" : "End access"}
          </button>
        )}
        <ErrorNote error={end.error} />
      </td>
    </tr>
  );
}

function MoveOutProgress({ site, m }: { site: string; m: Membership }) {
  const [pending, setPending] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  useEffect(() => {
    let stop = false;
    const poll = async () => {
      try {
        const r = await removalsOf(site, m.account);
        if (stop) return;
        setPending(r.pending.length);
        if (r.pending.length > 0) setTimeout(poll, 2000);
      } catch (e) {
        if (!stop) setError(e as ApiError);
      }
    };
    poll();
    return () => void (stop = true);
  }, [site, m.id]);
  return (
    <div class="note note-ok" role="status" aria-live="polite">
      <strong>{memberName(m)} moved out{m.unit ? ` of ${m.unit}` : ""}.</strong>
      {pending === null && !error && <p>Checking which doors still hold their codes…</p>}
      {pending !== null && (pending > 0 ? <p>Removal pending on {pending} door{pending === 1 ? "" : "s"}.</p> : <p>Their codes are removed from every door.</p>)}
      {error && <p>Removal progress is not available: {error.title.toLowerCase()}.</p>}
    </div>
  );
}

function MoveIn({ site, units, onDone }: { site: string; units: string[]; onDone: () => void }) {
  const [email, setEmail] = useState("");
  const [unit, setUnit] = useState("");
  const [role, setRole] = useState<Role>("resident");
  const [from, setFrom] = useState("");
  const [until, setUntil] = useState("");
  const [done, setDone] = useState("");
  const act = useAction(async () => {
    const m = await invitePerson(site, {
      email: email.trim(),
      role,
      unit: unit || null,
      valid_from: from ? new Date(from).toISOString() : null,
      valid_until: until ? new Date(until).toISOString() : null,
    });
    setDone(`${email.trim()} is now ${role}${unit ? ` of ${unit}` : ""}.`);
    setEmail("");
    onDone();
    return m;
  });
  const fe = (f: string) => fieldError(act.error, f);
  return (
    <form class="card" aria-labelledby="movein-title" noValidate onSubmit={(e) => { e.preventDefault(); act.run(); }}>
      <h2 id="movein-title">Move in or invite</h2>
      {done && <p role="status" class="ok">{done}</p>}
      <div class="row">
        <Field id="mi-email" label="Email" error={fe("email")}>
          <input id="mi-email" type="email" value={email} aria-describedby={describedBy("mi-email", undefined, fe("email"))} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="mi-role" label="Role" error={fe("role")}>
          <select id="mi-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
            {kRoles.filter((r) => r !== "owner").map((r) => <option value={r}>{r}</option>)}
          </select>
        </Field>
        <Field id="mi-unit" label="Unit" error={fe("unit")}>
          <select id="mi-unit" value={unit} onChange={(e) => setUnit((e.target as HTMLSelectElement).value)}>
            <option value="">Whole site</option>
            {units.map((u) => <option value={u}>{u}</option>)}
          </select>
        </Field>
      </div>
      <div class="row">
        <Field id="mi-from" label="From" error={fe("valid_from")}>
          <input id="mi-from" type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="mi-until" label="Until (lease end)" error={fe("valid_until")}>
          <input id="mi-until" type="datetime-local" value={until} onInput={(e) => setUntil((e.target as HTMLInputElement).value)} />
        </Field>
      </div>
      {act.error && !act.error.field && <ErrorNote error={act.error} />}
      <button type="submit" class="primary" disabled={act.busy || !email.trim()}>{act.busy ? "Saving…" : "Move in"}</button>
    </form>
  );
}

function NewUnit({ site, onDone }: { site: string; onDone: () => void }) {
  const [id, setId] = useState("");
  const [name, setName] = useState("");
  const act = useAction(async () => { const u = await createUnit(site, id.trim(), name.trim()); setId(""); setName(""); onDone(); return u; });
  return (
    <form class="inline-form" aria-label="New unit" noValidate onSubmit={(e) => { e.preventDefault(); act.run(); }}>
      <Field id="unit-id" label="Unit id" error={fieldError(act.error, "id")}>
        <input id="unit-id" value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} />
      </Field>
      <Field id="unit-name" label="Unit name" error={fieldError(act.error, "name")}>
        <input id="unit-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </Field>
      <button type="submit" disabled={act.busy || !id.trim() || !name.trim()}>Add unit</button>
      {act.error && !act.error.field && <ErrorNote error={act.error} />}
    </form>
  );
}
