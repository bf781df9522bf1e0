// The site's audit log with filters: type, who, what, and a time range.
import { useState } from "preact/hooks";
import { AuditFilter, kAuditTypes, listAudit } from "../../api/audit";
import { useAsync } from "../../ui/hooks";
import { Empty, ErrorNote, Loading } from "../../ui/parts";
import { when, words } from "../../ui/format";

export function Audit({ site }: { site: string }) {
  const [draft, setDraft] = useState<AuditFilter>({});
  const [filter, setFilter] = useState<AuditFilter>({});
  const log = useAsync(() => listAudit(site, filter), [site, JSON.stringify(filter)]);
  const set = (k: keyof AuditFilter) => (e: Event) => setDraft({ ...draft, [k]: (e.target as HTMLInputElement).value || undefined });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form class="filters" aria-label="Filters" onSubmit={(e) => {
        e.preventDefault();
        setFilter({
          ...draft,
          from: draft.from ? new Date(draft.from).toISOString() : undefined,
          until: draft.until ? new Date(draft.until).toISOString() : undefined,
        });
      }}>
        <label for="f-type">Type</label>
        <select id="f-type" value={draft.type ?? ""} onChange={set("type")}>
          <option value="">Any</option>
          {kAuditTypes.map((t) => <option value={t}>{words(t)}</option>)}
        </select>
        <label for="f-actor">Who</label>
        <input id="f-actor" value={draft.actor ?? ""} onInput={set("actor")} />
        <label for="f-target">Door or person</label>
        <input id="f-target" value={draft.target ?? ""} onInput={set("target")} />
        <label for="f-from">From</label>
        <input id="f-from" type="datetime-local" value={draft.from ?? ""} onInput={set("from")} />
        <label for="f-until">Until</label>
        <input id="f-until" type="datetime-local" value={draft.until ?? ""} onInput={set("until")} />
        <button type="submit">Apply</button>
      </form>
      {log.loading && !log.data && <Loading what="the audit log" />}
      <ErrorNote error={log.error} />
      {log.data?.entries.length === 0 && <Empty>No entries match.</Empty>}
      {log.data && log.data.entries.length > 0 && (
        <div class="table-wrap" tabIndex={0}><table>
          <caption class="visually-hidden">Audit entries, newest first</caption>
          <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Concerning</th><th scope="col">Detail</th></tr></thead>
          <tbody>
            {log.data.entries.map((e) => (
              <tr><td>{when(e.at)}</td><td>{words(e.type)}</td><td>{e.actor}</td><td>{e.target}</td><td>{detailText(e.detail)}</td></tr>
            ))}
          </tbody>
        </table></div>
      )}
    </section>
  );
}

/** The entry's detail (a JSON object, as text) as "key: value" pairs; text that is not an object as is. */
function detailText(detail: string): string {
  try {
    const o = JSON.parse(detail) as unknown;
    if (o && typeof o === "object" && !Array.isArray(o))
      return Object.entries(o as Record<string, unknown>)
        .map(([k, v]) => `${k.replace(/_/g, " ")}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join(" · ");
  } catch {
    /* not JSON: shown as it is */
  }
  return detail;
}
