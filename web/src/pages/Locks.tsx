// The resident's doors with live state (server-sent events), and unlock / lock with visible
// progress (preparing → sent → the lock's answer) and the honest outcome: confirmed by the lock,
// failed with its reason, or no answer in time (which is not a success).
import { useEffect, useState } from "preact/hooks";
import { Command, commandText, getCommand, Lock, LockHealth, listLocks, lockDoor, unlock } from "../api/devices";
import { subscribeLive, LiveState } from "../api/live";
import { useAction, useAsync, useNow } from "../ui/hooks";
import { Badge, Empty, ErrorNote, Loading } from "../ui/parts";
import { ago } from "../ui/format";

export function Locks({ site }: { site: string }) {
  const locks = useAsync(() => listLocks(site), [site]);
  const [health, setHealth] = useState<Record<string, LockHealth>>({});
  const [commands, setCommands] = useState<Record<string, Command>>({});
  const [live, setLive] = useState<LiveState>("connecting");
  useEffect(() => {
    const h = subscribeLive(site, (e) => {
      if (e.event === "lock") {
        const lh = e.data as LockHealth;
        setHealth((m) => ({ ...m, [lh.lock]: lh }));
      } else if (e.event === "command") {
        const c = e.data as Command;
        setCommands((m) => ({ ...m, [c.id]: c }));
      }
    }, setLive);
    return () => h.close();
  }, [site]);

  return (
    <section aria-labelledby="locks-title">
      <h1 id="locks-title">Doors</h1>
      <p class="muted live-state" role="status">
        {live === "live" ? "Live: changes appear as they happen." : live === "unavailable" ? "Live updates are not available on this server yet." : live === "retrying" ? "Reconnecting for live updates…" : "Connecting for live updates…"}
      </p>
      {locks.loading && !locks.data && <Loading what="your doors" />}
      <ErrorNote error={locks.error} />
      {locks.data && locks.data.locks.length === 0 && <Empty>No doors at this site for you.</Empty>}
      <ul class="cards">
        {locks.data?.locks.map((l) => (
          <li><LockCard lock={l} health={health[l.id] ?? l.health} site={site} commands={commands} /></li>
        ))}
      </ul>
    </section>
  );
}

function boltWords(h: LockHealth): [string, "ok" | "warn" | "bad" | "neutral"] {
  if (h.jammed || h.bolt === "jammed") return ["Jammed", "bad"];
  if (h.bolt === "locked") return ["Locked", "ok"];
  if (h.bolt === "unlocked") return ["Unlocked", "warn"];
  return ["State unknown", "neutral"];
}

function LockCard({ lock, health, site, commands }: { lock: Lock; health: LockHealth; site: string; commands: Record<string, Command> }) {
  const now = useNow(30_000);
  const [mine, setMine] = useState<Command | null>(null);
  const act = useAction(async (op: "unlock" | "lock") => {
    setMine({ id: "", lock: lock.id, op, status: "pending", confirmed_by_device: false, created: Date.now(), expires: 0, updated: Date.now() });
    const c = op === "unlock" ? await unlock(site, lock.id) : await lockDoor(site, lock.id);
    setMine(c);
    return c;
  });
  // Follow the attempt: live updates first, polling as a fallback until it is final.
  const current = mine?.id && commands[mine.id] ? commands[mine.id] : mine;
  useEffect(() => {
    if (!current?.id || !["pending", "sent"].includes(current.status)) return;
    const t = setTimeout(() => getCommand(site, current.id).then(setMine, () => {}), 1500);
    return () => clearTimeout(t);
  }, [current?.id, current?.status, current?.updated]);
  useEffect(() => {
    if (act.error && mine && !mine.id) setMine(null); // refused before any command existed
  }, [act.error]);

  const online = health.reachability === "online";
  const [bolt, tone] = boltWords(health);
  const busy = act.busy || (!!current && ["pending", "sent"].includes(current.status));
  return (
    <article class="card lock-card" aria-labelledby={`lock-${lock.id}`}>
      <h2 id={`lock-${lock.id}`}>{lock.name}</h2>
      <p class="badges">
        <Badge tone={tone}>{bolt}</Badge>{" "}
        <Badge tone={online ? "ok" : "neutral"}>{online ? "Online" : "Offline"}</Badge>{" "}
        {health.battery && <Badge tone={health.battery.pct < 20 ? "bad" : "ok"}>Battery {health.battery.pct}%</Badge>}
      </p>
      {!online && <p class="muted">{health.offline_reason ? `${health.offline_reason}. ` : ""}Last seen {ago(health.last_seen, now)}. Your code, Bluetooth and key still work at the door.</p>}
      <div class="actions">
        <button type="button" class="primary" disabled={busy || !online} onClick={() => act.run("unlock")}>Unlock</button>
        <button type="button" disabled={busy || !online} onClick={() => act.run("lock")}>Lock</button>
      </div>
      {current && <CommandProgress c={current} />}
      <ErrorNote error={act.error} />
    </article>
  );
}

const kStages = ["pending", "sent", "done"] as const;

function CommandProgress({ c }: { c: Command }) {
  const final = !["pending", "sent"].includes(c.status);
  const stage = final ? 2 : c.status === "sent" ? 1 : 0;
  const tone = c.status === "succeeded" && c.confirmed_by_device ? "ok" : final ? "bad" : "";
  return (
    <div class={`command ${tone}`}>
      <ol class="command-stages" aria-hidden="true">
        {kStages.map((s, i) => <li class={i <= stage ? "reached" : ""}>{s === "pending" ? "Preparing" : s === "sent" ? "Sent" : "Answer"}</li>)}
      </ol>
      <p role="status" aria-live="polite">{commandText(c)}</p>
    </div>
  );
}
