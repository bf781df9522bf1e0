// Fleet health at a glance: offline locks and hubs, jams, low batteries with their trend and the
// day each is forecast to run out. Live: health changes arrive over server-sent events.
import { useEffect, useState } from "preact/hooks";
import { batteryHistory, HubHealth, listHubs, listLocks, Lock, LockHealth } from "../../api/devices";
import { subscribeLive } from "../../api/live";
import { useAsync, useNow } from "../../ui/hooks";
import { Badge, Empty, ErrorNote, Loading } from "../../ui/parts";
import { BatteryChart } from "../../ui/BatteryChart";
import { ago } from "../../ui/format";

export function Fleet({ site }: { site: string }) {
  const locks = useAsync(() => listLocks(site), [site]);
  const hubs = useAsync(() => listHubs(site), [site]);
  const [health, setHealth] = useState<Record<string, LockHealth>>({});
  const [hubLive, setHubLive] = useState<Record<string, HubHealth>>({});
  const now = useNow(30_000);
  useEffect(() => {
    const h = subscribeLive(site, (e) => {
      if (e.event === "lock") setHealth((m) => ({ ...m, [(e.data as LockHealth).lock]: e.data as LockHealth }));
      if (e.event === "hub") setHubLive((m) => ({ ...m, [(e.data as HubHealth).hub]: e.data as HubHealth }));
    });
    return () => h.close();
  }, [site]);

  const all: (Lock & { h: LockHealth })[] = (locks.data?.locks ?? []).map((l) => ({ ...l, h: health[l.id] ?? l.health }));
  const allHubs = (hubs.data?.hubs ?? []).map((h) => hubLive[h.hub] ?? h);
  const offline = all.filter((l) => l.h.reachability !== "online");
  const jammed = all.filter((l) => l.h.jammed || l.h.bolt === "jammed");
  const low = all.filter((l) => l.h.battery && l.h.battery.pct < 20).sort((a, b) => a.h.battery!.pct - b.h.battery!.pct);
  const hubsDown = allHubs.filter((h) => h.reachability !== "online");
  const watch = [...all].filter((l) => l.h.battery).sort((a, b) => a.h.battery!.pct - b.h.battery!.pct).slice(0, 4);

  return (
    <section aria-labelledby="fleet-title">
      <h1 id="fleet-title">Fleet health</h1>
      <ErrorNote error={locks.error} />
      {!locks.error && hubs.error && <ErrorNote error={hubs.error} />}
      {locks.loading && !locks.data && <Loading what="the fleet" />}
      {locks.data && (
        <>
          <ul class="tiles" aria-label="Summary">
            <Tile n={offline.length} label="locks offline" tone={offline.length ? "bad" : "ok"} />
            <Tile n={hubsDown.length} label="hubs offline" tone={hubsDown.length ? "bad" : "ok"} />
            <Tile n={jammed.length} label="jammed" tone={jammed.length ? "bad" : "ok"} />
            <Tile n={low.length} label="low batteries" tone={low.length ? "warn" : "ok"} />
          </ul>
          <h2>Needs attention</h2>
          {offline.length + jammed.length + low.length + hubsDown.length === 0 && <Empty>Everything is online and healthy.</Empty>}
          <div class="table-wrap" tabIndex={0}><table>
            <caption class="visually-hidden">Locks and hubs that need attention</caption>
            <thead><tr><th scope="col">Device</th><th scope="col">Problem</th><th scope="col">Last seen</th></tr></thead>
            <tbody>
              {hubsDown.map((h) => (
                <tr><td>Hub {h.name ?? h.hub}</td><td><Badge tone="bad">Offline</Badge> {h.links.length} locks behind it</td><td>{ago(h.last_seen, now)}</td></tr>
              ))}
              {offline.map((l) => (
                <tr><td>{l.name}</td><td><Badge tone="bad">Offline</Badge> {l.h.offline_reason ?? ""}{l.h.flaky ? " · flaky" : ""}</td><td>{ago(l.h.last_seen, now)}</td></tr>
              ))}
              {jammed.map((l) => (
                <tr><td>{l.name}</td><td><Badge tone="bad">Jammed</Badge></td><td>{ago(l.h.last_seen, now)}</td></tr>
              ))}
              {low.map((l) => (
                <tr><td>{l.name}</td><td><Badge tone="warn">Battery {l.h.battery!.pct}%</Badge></td><td>{ago(l.h.last_seen, now)}</td></tr>
              ))}
            </tbody>
          </table></div>
          <h2>Battery trends</h2>
          <div class="charts">
            {watch.map((l) => <Trend site={site} lock={l} />)}
          </div>
        </>
      )}
    </section>
  );
}

function Tile({ n, label, tone }: { n: number; label: string; tone: "ok" | "warn" | "bad" }) {
  return (
    <li class={`tile tile-${tone}`}>
      <span class="tile-n">{n}</span> <span>{label}</span>
    </li>
  );
}

function Trend({ site, lock }: { site: string; lock: Lock }) {
  const h = useAsync(() => batteryHistory(site, lock.id), [site, lock.id]);
  if (h.error) return <ErrorNote error={h.error} />;
  if (!h.data) return <Loading what={`${lock.name}'s battery`} />;
  return <BatteryChart name={lock.name} history={h.data} />;
}
