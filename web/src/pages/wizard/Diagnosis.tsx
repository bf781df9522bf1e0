// The diagnosis in plain words (each cause with the facts it rests on) and the plan as numbered
// steps, least invasive first; the actions the wizard can run have a button.
import { useState } from "preact/hooks";
import { LockoutCase, PlanStep, takeAction } from "../../api/lockout";
import { actionWords, causeWords, kRunnable, pathWords, sourceWords } from "../../words";
import { ErrorNote } from "../../ui/parts";
import { useAction } from "../../ui/hooks";
import { BackupCodeForm } from "./BackupCodeForm";
import { formatWait } from "../../api/errors";

export function Diagnosis({ kase, onCase }: { kase: LockoutCase; onCase: (c: LockoutCase) => void }) {
  const d = kase.diagnosis;
  const top = d.causes[0];
  return (
    <div class="diagnosis">
      <h2>What we found</h2>
      {top ? (
        <p class="lead">
          Most likely: <strong>{causeWords[top.id] ?? top.id}</strong>
          {top.suspected && " (not yet confirmed by the lock)"}.
        </p>
      ) : (
        <p class="lead">We could not find a cause from what the lock and your account tell us.</p>
      )}
      <ul class="causes">
        {d.causes.map((c) => (
          <li>
            <div class="cause-head">
              <span>{causeWords[c.id] ?? c.id}</span>
              <span class="muted">{c.suspected ? "suspected" : `${Math.round(c.confidence * 100)}% sure`}</span>
            </div>
            <ul class="evidence">
              {c.evidence.map((e) => (
                <li>
                  <span class="source">{sourceWords[e.source] ?? e.source}:</span> {e.fact}
                </li>
              ))}
            </ul>
            {c.needs_on_door_test && <p class="hint">A test at the door will confirm this; the first steps below include it.</p>}
          </li>
        ))}
      </ul>
      {d.paths.length > 0 && (
        <>
          <h3>Ways in right now</h3>
          <ul class="paths">
            {d.paths.map((p) => (
              <li class={p.alive ? "alive" : "dead"}>
                <strong>{pathWords[p.path] ?? p.path}:</strong> {p.alive ? "works" : p.after_cooldown ? "works after a short wait" : "not now"} — {p.why}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>What to do, in order</h2>
      {d.plan.length === 0 ? (
        <p>There is nothing we can safely offer for this door. If you believe you should have access, contact the building's manager.</p>
      ) : (
        <ol class="plan">
          {[...d.plan].sort((a, b) => a.rank - b.rank).map((s) => (
            <li>
              <Step step={s} kase={kase} onCase={onCase} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function Step({ step, kase, onCase }: { step: PlanStep; kase: LockoutCase; onCase: (c: LockoutCase) => void }) {
  const act = useAction((action: string) => takeAction(kase.id, action));
  const [done, setDone] = useState(false);
  const [open, setOpen] = useState(false);
  return (
    <div class="plan-step">
      <h3>{actionWords[step.action] ?? step.action}</h3>
      {step.action === "wait_keypad_cooldown" && step.wait_s ? <p>About {formatWait(step.wait_s)} left.</p> : null}
      <ol class="substeps">
        {step.steps.map((t) => <li>{t}</li>)}
      </ol>
      {step.action === "send_backup_code" ? (
        open ? (
          <BackupCodeForm site={kase.site} door={kase.door} caseId={kase.id} />
        ) : (
          <button type="button" class="primary" onClick={() => setOpen(true)}>Get a backup code</button>
        )
      ) : kRunnable.has(step.action) ? (
        done ? (
          <p role="status" class="ok">Done. We will let you know what happens next.</p>
        ) : (
          <button
            type="button"
            class="primary"
            disabled={act.busy}
            onClick={async () => {
              const c = await act.run(step.action);
              if (c) {
                setDone(true);
                onCase(c);
              }
            }}
          >
            {act.busy ? "Working…" : actionWords[step.action] ?? step.action}
          </button>
        )
      ) : null}
      <ErrorNote error={act.error} />
    </div>
  );
}
