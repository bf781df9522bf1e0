// I'm Locked Out: reachable without signing in. 1) which door, by what the person knows (the
// building's code from the sign or the welcome letter, and their unit or door; signed in: their
// own doors), 2) what they see, with pictures, 3) the diagnosis with its evidence and the plan as
// numbered steps, least invasive first, with the actions the wizard can run.
import { useState } from "preact/hooks";
import { ApiError, asApiError } from "../../api/errors";
import { LockoutCase, reportLockout, Symptom } from "../../api/lockout";
import { listLocks } from "../../api/devices";
import { useSignedIn, useSites } from "../../state";
import { kSymptoms } from "../../words";
import { describedBy, ErrorNote, Field, fieldError } from "../../ui/parts";
import { Keypad, OfflineBadge } from "../../ui/pictures";
import { useAsync } from "../../ui/hooks";
import { Diagnosis } from "./Diagnosis";
import { GeneralAdvice } from "./GeneralAdvice";

/** `door`: a lock id when picked from one's own doors, else what the person typed (`typed`), which
 * the server reads as a unit. */
interface Door { site: string; door: string; label?: string; typed?: boolean }

export function Wizard() {
  const params = new URL(location.href).searchParams;
  const [door, setDoor] = useState<Door | null>(null);
  const [symptoms, setSymptoms] = useState<Symptom[] | null>(null);
  const [kase, setKase] = useState<LockoutCase | null>(null);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (door: Door, picked: Symptom[]) => {
    setSymptoms(picked);
    setBusy(true);
    setError(undefined);
    try {
      setKase(await reportLockout({ site: door.site, ...(door.typed ? { unit: door.door } : { door: door.door }), symptoms: picked }));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };

  const step = !door ? 1 : !symptoms || (error && !kase && !busy && error.field) ? 2 : 3;
  return (
    <section aria-labelledby="wizard-title" class="wizard">
      <h1 id="wizard-title" tabIndex={-1}>I'm locked out</h1>
      <ol class="steps-indicator" aria-label="Progress">
        {["Your door", "What you see", "What to do"].map((s, i) => (
          <li class={i + 1 === step ? "current" : i + 1 < step ? "done" : ""} aria-current={i + 1 === step ? "step" : undefined}>
            {s}
          </li>
        ))}
      </ol>
      {step === 1 && <PickDoor initialSite={params.get("site") ?? ""} initialDoor={params.get("door") ?? ""} onPick={setDoor} />}
      {step === 2 && door && (
        <PickSymptoms
          door={door}
          error={error}
          busy={busy}
          onBack={() => setDoor(null)}
          onSubmit={(s) => submit(door, s)}
        />
      )}
      {step === 3 && door && symptoms && (
        <div>
          {busy && <p role="status">Checking the door and your access…</p>}
          {kase && <Diagnosis kase={kase} onCase={setKase} />}
          {error && !kase && (
            <>
              <ErrorNote error={error} />
              <GeneralAdvice symptoms={symptoms} door={door} />
            </>
          )}
          <p>
            <button type="button" class="link-button" onClick={() => { setSymptoms(null); setKase(null); setError(undefined); }}>
              Change what I see
            </button>
          </p>
        </div>
      )}
    </section>
  );
}

function PickDoor({ initialSite, initialDoor, onPick }: { initialSite: string; initialDoor: string; onPick: (d: Door) => void }) {
  const signedIn = useSignedIn();
  const sites = useSites();
  const [site, setSite] = useState(initialSite);
  const [door, setDoor] = useState(initialDoor);
  const [missing, setMissing] = useState<string | null>(null);
  const myDoors = useAsync(
    async () => (signedIn && sites.current ? (await listLocks(sites.current.id)).locks : []),
    [signedIn, sites.current?.id],
  );

  const submit = (e: Event) => {
    e.preventDefault();
    if (!site.trim()) return setMissing("site");
    if (!door.trim()) return setMissing("door");
    onPick({ site: site.trim(), door: door.trim(), typed: true });
  };
  const siteErr = missing === "site" ? "Enter the building code, for example maple-court." : undefined;
  const doorErr = missing === "door" ? "Enter your unit number or the door's name." : undefined;
  return (
    <div>
      {myDoors.data && myDoors.data.length > 0 && sites.current && (
        <fieldset class="choices">
          <legend>Your doors</legend>
          {myDoors.data.map((l) => (
            <button type="button" class="choice" onClick={() => onPick({ site: l.site, door: l.id, label: l.name })}>
              {l.name}
            </button>
          ))}
        </fieldset>
      )}
      <form onSubmit={submit} noValidate aria-labelledby="door-title">
        <h2 id="door-title">Which door?</h2>
        <p>You do not need to sign in. Tell us the building and your door.</p>
        <Field id="site" label="Building code" hint="On the sign by the door or in your welcome letter." error={siteErr}>
          <input
            id="site"
            name="site"
            autoComplete="off"
            value={site}
            aria-invalid={!!siteErr}
            aria-describedby={describedBy("site", "hint", siteErr)}
            onInput={(e) => setSite((e.target as HTMLInputElement).value)}
          />
        </Field>
        <Field id="door" label="Your unit or door" hint="For example 204, or Front gate." error={doorErr}>
          <input
            id="door"
            name="door"
            autoComplete="off"
            value={door}
            aria-invalid={!!doorErr}
            aria-describedby={describedBy("door", "hint", doorErr)}
            onInput={(e) => setDoor((e.target as HTMLInputElement).value)}
          />
        </Field>
        <button type="submit" class="primary">Next</button>
      </form>
    </div>
  );
}

function PickSymptoms(props: { door: Door; error?: ApiError; busy: boolean; onBack: () => void; onSubmit: (s: Symptom[]) => void }) {
  const [picked, setPicked] = useState<Set<Symptom>>(new Set());
  const [none, setNone] = useState(false);
  const toggle = (s: Symptom) => {
    const next = new Set(picked);
    next.has(s) ? next.delete(s) : next.add(s);
    setPicked(next);
    setNone(false);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    if (picked.size === 0) return setNone(true);
    props.onSubmit([...picked]);
  };
  const group = (where: "door" | "app", legend: string) => (
    <fieldset class="symptoms">
      <legend>{legend}</legend>
      {kSymptoms.filter((s) => s.where === where).map((s) => (
        <label class={`symptom${picked.has(s.id) ? " picked" : ""}`} for={`sym-${s.id}`}>
          <input type="checkbox" id={`sym-${s.id}`} name="symptom" value={s.id} checked={picked.has(s.id)} onChange={() => toggle(s.id)} />
          {s.picture === "x" && <Keypad mode="x" title="Keypad with 1, 3, 5, 7 and 9 lit in an X" />}
          {s.picture === "dark" && <Keypad mode="dark" title="Keypad with every key dark" />}
          {s.picture === "offline" && <OfflineBadge />}
          <span>{s.label}</span>
        </label>
      ))}
    </fieldset>
  );
  return (
    <form onSubmit={submit} noValidate aria-labelledby="see-title">
      <h2 id="see-title">What do you see?</h2>
      <p>
        Door <strong>{props.door.label ?? props.door.door}</strong> at <strong>{props.door.site}</strong>. Pick everything that fits.
      </p>
      {group("door", "At the door")}
      {group("app", "In the app")}
      {none && <p class="field-error" role="alert">Pick at least one thing you see.</p>}
      {props.error?.field && <ErrorNote error={props.error} />}
      {fieldError(props.error, "door") && <p class="field-error">Check the door: {fieldError(props.error, "door")}</p>}
      <div class="actions">
        <button type="button" onClick={props.onBack}>Back</button>
        <button type="submit" class="primary" disabled={props.busy}>
          {props.busy ? "Checking…" : "Find out what to do"}
        </button>
      </div>
    </form>
  );
}
