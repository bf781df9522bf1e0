import { useState } from "preact/hooks";
import { closeWorkOrder, kindWords, listWorkOrders, takeWorkOrder, WorkOrder } from "../../api/maintenance";
import { useAction, useAsync } from "../../ui/hooks";
import { useLockNames } from "../../ui/lock_names";
import { Badge, Empty, ErrorNote, Loading } from "../../ui/parts";
import { day, when } from "../../ui/format";

export function WorkOrders({ site }: { site: string }) {
  const [status, setStatus] = useState("open");
  const [kind, setKind] = useState("");
  const orders = useAsync(() => listWorkOrders(site, status || undefined, kind || undefined), [site, status, kind]);
  const lockName = useLockNames(site);
  return (
    <section aria-labelledby="wo-title">
      <h1 id="wo-title">Work orders</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label for="wo-status">Status</label>
        <select id="wo-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">Any</option><option value="open">Open</option><option value="taken">Taken</option><option value="closed">Closed</option>
        </select>
        <label for="wo-kind">Kind</label>
        <select id="wo-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
          <option value="">Any</option>
          {Object.entries(kindWords).map(([k, w]) => <option value={k}>{w}</option>)}
        </select>
      </form>
      {orders.loading && !orders.data && <Loading what="work orders" />}
      <ErrorNote error={orders.error} />
      {orders.data?.work_orders.length === 0 && <Empty>No work orders here.</Empty>}
      <ul class="cards">
        {orders.data?.work_orders.map((o) => <li><Order o={o} site={site} lockName={lockName} onChange={orders.reload} /></li>)}
      </ul>
    </section>
  );
}

function Order({ o, site, lockName, onChange }: { o: WorkOrder; site: string; lockName: (lock: string) => string; onChange: () => void }) {
  const [note, setNote] = useState("");
  const take = useAction(async () => { await takeWorkOrder(site, o.id); onChange(); return true; });
  const close = useAction(async () => { await closeWorkOrder(site, o.id, note); onChange(); return true; });
  return (
    <article class="card" aria-labelledby={`wo-${o.id}`}>
      <h2 id={`wo-${o.id}`}>{kindWords[o.kind]} — {o.lock ? lockName(o.lock) : `hub ${o.hub}`}</h2>
      <p><Badge tone={o.status === "closed" ? "ok" : o.status === "taken" ? "warn" : "bad"}>{o.status}</Badge> opened {when(o.opened_at)}</p>
      <p>{o.reason}</p>
      {o.forecast_empty_at && <p>Battery forecast to run out around <strong>{day(o.forecast_empty_at)}</strong>.</p>}
      {o.status === "open" && <button type="button" onClick={() => take.run()} disabled={take.busy}>Take this job</button>}
      {o.status !== "closed" && (
        <form class="inline-form" onSubmit={(e) => { e.preventDefault(); close.run(); }}>
          <label for={`note-${o.id}`}>What was done</label>
          <input id={`note-${o.id}`} value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          <button type="submit" disabled={close.busy}>Close</button>
        </form>
      )}
      {o.closed_note && <p class="muted">Closed {when(o.closed_at)}: {o.closed_note}</p>}
      <ErrorNote error={take.error ?? close.error} />
    </article>
  );
}
