// A code for staff or vendors fanned out to many doors at once, with a progress bar that fills
// as each lock reports it set (live "fanout" updates, polling as a fallback).
import { useEffect, useState } from "preact/hooks";
import { codeProgress, createCode, Fanout } from "../../api/codes";
import { listLocks } from "../../api/devices";
import { listPeople, memberName } from "../../api/access";
import { subscribeLive } from "../../api/live";
import { useAction, useAsync } from "../../ui/hooks";
import { Bar, describedBy, ErrorNote, Field, fieldError } from "../../ui/parts";

export function FanoutCodes({ site }: { site: string }) {
  const locks = useAsync(() => listLocks(site), [site]);
  const [name, setName] = useState("");
  const [pin, setPin] = useState("");
  const [chosen, setChosen] = useState<Set<string> | null>(null);
  const [job, setJob] = useState<{ id: string; pin: string } | null>(null);
  // A staff code is held by a member of the site's staff (the server requires the holder).
  const people = useAsync(() => listPeople(site), [site]);
  const staff = (people.data?.people ?? []).filter((m) => m.status === "active" && ["maintenance", "manager", "owner"].includes(m.role));
  const [holder, setHolder] = useState("");
  const heldBy = holder || staff[0]?.account || "";
  const all = locks.data?.locks ?? [];
  const picked = chosen ?? new Set(all.map((l) => l.id));
  const act = useAction(async () => {
    const c = await createCode(site, { name: name.trim(), kind: "staff", holder: heldBy, ...(pin ? { pin } : {}), locks: [...picked] });
    setJob({ id: c.id, pin: c.pin });
    return c;
  });
  const fe = (f: string) => fieldError(act.error, f);
  return (
    <section aria-labelledby="fan-title">
      <h1 id="fan-title">Shared codes</h1>
      <p>One code for staff or a vendor, sent to many doors at once.</p>
      <form class="card" noValidate aria-label="New shared code" onSubmit={(e) => { e.preventDefault(); act.run(); }}>
        <Field id="fan-name" label="Who it is for" error={fe("name")}>
          <input id="fan-name" value={name} aria-describedby={describedBy("fan-name", undefined, fe("name"))} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="fan-holder" label="Held by" hint="The staff member answerable for it." error={fe("holder")}>
          <select id="fan-holder" value={heldBy} aria-describedby={describedBy("fan-holder", "hint", fe("holder"))} onChange={(e) => setHolder((e.target as HTMLSelectElement).value)}>
            {staff.map((m) => <option value={m.account}>{m.role}: {memberName(m)}</option>)}
          </select>
        </Field>
        <Field id="fan-pin" label="Code (optional)" hint="4 to 8 digits; empty and we pick one." error={fe("pin")}>
          <input id="fan-pin" inputMode="numeric" value={pin} aria-describedby={describedBy("fan-pin", "hint", fe("pin"))} onInput={(e) => setPin((e.target as HTMLInputElement).value.replace(/\D/g, ""))} />
        </Field>
        <fieldset>
          <legend>Doors ({picked.size} of {all.length})</legend>
          <ErrorNote error={locks.error} />
          <button type="button" class="link-button" onClick={() => setChosen(new Set(all.map((l) => l.id)))}>All</button>{" "}
          <button type="button" class="link-button" onClick={() => setChosen(new Set())}>None</button>
          <div class="checks">
            {all.map((l) => (
              <label class="inline">
                <input type="checkbox" checked={picked.has(l.id)} onChange={() => { const n = new Set(picked); n.has(l.id) ? n.delete(l.id) : n.add(l.id); setChosen(n); }} /> {l.name}
              </label>
            ))}
          </div>
        </fieldset>
        {act.error && !act.error.field && <ErrorNote error={act.error} />}
        <button type="submit" class="primary" disabled={act.busy || !name.trim() || !heldBy || picked.size === 0}>Send to {picked.size} doors</button>
      </form>
      {job && <Progress site={site} id={job.id} pin={job.pin} />}
    </section>
  );
}

function Progress({ site, id, pin }: { site: string; id: string; pin: string }) {
  const [p, setP] = useState<Fanout | null>(null);
  useEffect(() => {
    let stop = false;
    const live = subscribeLive(site, (e) => {
      if (e.event === "fanout" && (e.data as Fanout).credential === id) setP(e.data as Fanout);
    });
    const poll = async () => {
      if (stop) return;
      try {
        const r = await codeProgress(site, id);
        setP(r);
        if (r.pending > 0) setTimeout(poll, 2000);
      } catch { /* live updates may still come */ }
    };
    poll();
    return () => { stop = true; live.close(); };
  }, [site, id]);
  return (
    <div class="card" role="status" aria-live="polite">
      <h2>Code {pin}</h2>
      {p ? (
        <>
          <Bar label="Doors with the code" value={p.set} max={p.locks} />
          <p>{p.pending} waiting{p.failed ? `, ${p.failed} failed` : ""}.</p>
        </>
      ) : (
        <p>Sending…</p>
      )}
    </div>
  );
}
