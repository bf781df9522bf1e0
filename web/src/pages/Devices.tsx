// The account's phones: this one's enrollment (its own Ed25519 key, made here and never leaving
// the browser), and removing a lost phone, which ends every session bound to it.
import { useState } from "preact/hooks";
import { Device, enrollDevice, listDevices, removeDevice } from "../api/identity";
import { deviceKey } from "../api/device_key";
import { useAction, useAsync } from "../ui/hooks";
import { describedBy, ErrorNote, Field, Loading } from "../ui/parts";
import { ago, when } from "../ui/format";

export function Devices() {
  const devices = useAsync(() => listDevices(), []);
  const mine = useAsync(() => deviceKey.load(), []);
  const thisId = mine.data?.id;
  const enrolledHere = !!thisId && !!devices.data?.devices.some((d) => d.id === thisId);
  return (
    <section aria-labelledby="dev-title">
      <h1 id="dev-title">Phones</h1>
      {!enrolledHere && !mine.loading && <Enroll onDone={() => { mine.reload(); devices.reload(); }} />}
      {devices.loading && !devices.data && <Loading what="your phones" />}
      <ErrorNote error={devices.error} />
      <ul class="cards">
        {devices.data?.devices.map((d) => (
          <li><DeviceCard d={d} isThis={d.id === thisId} onRemoved={() => { if (d.id === thisId) deviceKey.forget().then(mine.reload); devices.reload(); }} /></li>
        ))}
      </ul>
    </section>
  );
}

function Enroll({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState(guessName());
  const act = useAction(async () => {
    const rec = (await deviceKey.load()) ?? (await deviceKey.create(name.trim()));
    const d = await enrollDevice(name.trim(), rec.publicKey);
    await deviceKey.save({ ...rec, id: d.id, name: d.name });
    onDone();
    return d;
  });
  return (
    <form class="card" aria-labelledby="enroll-title" noValidate onSubmit={(e) => { e.preventDefault(); act.run(); }}>
      <h2 id="enroll-title">Enroll this phone</h2>
      <p>An enrolled phone proves itself when you sign in, so a stolen password alone is not enough, and you are never throttled out of your own account.</p>
      <Field id="device-name" label="Name for this phone" hint="So you can recognise it in this list.">
        <input id="device-name" value={name} maxLength={64} aria-describedby={describedBy("device-name", "hint")} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </Field>
      <ErrorNote error={act.error} />
      <button type="submit" class="primary" disabled={act.busy || !name.trim()}>{act.busy ? "Enrolling…" : "Enroll this phone"}</button>
    </form>
  );
}

function DeviceCard({ d, isThis, onRemoved }: { d: Device; isThis: boolean; onRemoved: () => void }) {
  const act = useAction(async () => { await removeDevice(d.id); onRemoved(); return true; });
  return (
    <article class="card" aria-labelledby={`dev-${d.id}`}>
      <h2 id={`dev-${d.id}`}>{d.name} {isThis && <span class="badge badge-ok">This phone</span>}</h2>
      <p class="muted">Enrolled {when(d.created_at)} · last used {ago(d.last_seen_at)}</p>
      <button
        type="button"
        class="danger"
        disabled={act.busy}
        onClick={() => confirm(`Remove ${d.name}? It will be signed out and can no longer open doors.`) && act.run()}
      >
        {isThis ? "Remove this phone" : "Remove (lost or replaced)"}
      </button>
      <ErrorNote error={act.error} />
    </article>
  );
}

function guessName(): string {
  const ua = navigator.userAgent;
  if (/iPhone/.test(ua)) return "iPhone";
  if (/Android/.test(ua)) return "Android phone";
  return "Browser";
}
