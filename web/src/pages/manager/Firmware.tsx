// Firmware versions across the site's locks, from each lock's last state report.
import { listLocks } from "../../api/devices";
import { useAsync } from "../../ui/hooks";
import { ErrorNote, Loading } from "../../ui/parts";

export function Firmware({ site }: { site: string }) {
  const locks = useAsync(() => listLocks(site), [site]);
  const groups = new Map<string, string[]>();
  for (const l of locks.data?.locks ?? []) {
    const v = l.health.firmware ?? "not reported";
    groups.set(v, [...(groups.get(v) ?? []), l.name]);
  }
  return (
    <section aria-labelledby="fw-title">
      <h1 id="fw-title">Firmware</h1>
      {locks.loading && !locks.data && <Loading what="locks" />}
      <ErrorNote error={locks.error} />
      {locks.data && (
        <div class="table-wrap" tabIndex={0}><table>
          <caption class="visually-hidden">Locks by firmware version</caption>
          <thead><tr><th scope="col">Version</th><th scope="col">Locks</th><th scope="col">Which</th></tr></thead>
          <tbody>
            {[...groups.entries()].sort().map(([v, names]) => (
              <tr><td>{v}</td><td>{names.length}</td><td>{names.join(", ")}</td></tr>
            ))}
          </tbody>
        </table></div>
      )}
    </section>
  );
}
