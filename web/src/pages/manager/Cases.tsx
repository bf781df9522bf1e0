// Lockout cases with their timelines: what was reported, the diagnosis, every action, the end.
import { useState } from "preact/hooks";
import { listCases } from "../../api/lockout";
import { useAsync } from "../../ui/hooks";
import { useLockNames } from "../../ui/lock_names";
import { Badge, Empty, ErrorNote, Loading } from "../../ui/parts";
import { when } from "../../ui/format";
import { actionWords, causeWords, kSymptoms } from "../../words";

export function Cases({ site }: { site: string }) {
  const [status, setStatus] = useState("open");
  const cases = useAsync(() => listCases(site, status || undefined), [site, status]);
  const lockName = useLockNames(site);
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">Lockouts</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label for="case-status">Status</label>
        <select id="case-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">Any</option><option value="open">Open</option><option value="escalated">Escalated</option><option value="resolved">Resolved</option>
        </select>
      </form>
      {cases.loading && !cases.data && <Loading what="lockout cases" />}
      <ErrorNote error={cases.error} />
      {cases.data?.cases.length === 0 && <Empty>No lockout cases.</Empty>}
      <ul class="cards">
        {cases.data?.cases.map((c) => (
          <li>
            <article class="card" aria-labelledby={`case-${c.id}`}>
              <h2 id={`case-${c.id}`}>{lockName(c.door)} <Badge tone={c.status === "resolved" ? "ok" : "bad"}>{c.status}</Badge></h2>
              <p>Reported {when(c.opened_at)}: {c.symptoms.map((s) => kSymptoms.find((k) => k.id === s)?.label ?? s).join("; ")}</p>
              {c.diagnosis.causes[0] && <p>Most likely: <strong>{causeWords[c.diagnosis.causes[0].id] ?? c.diagnosis.causes[0].id}</strong></p>}
              {c.resolved_by && <p>Resolved by: {actionWords[c.resolved_by] ?? c.resolved_by}</p>}
              <ol class="timeline" aria-label="Timeline">
                {c.actions.map((a) => <li><time>{when(a.at)}</time> {actionWords[a.action] ?? a.action}: {a.outcome}</li>)}
              </ol>
            </article>
          </li>
        ))}
      </ul>
    </section>
  );
}
