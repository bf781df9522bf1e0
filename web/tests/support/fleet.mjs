// The product around the server for full-flow tests: the real Mosquitto (`latchkey broker init`
// / `broker run`) and the real simulator (`latchkey sim`) on a free port, with a control socket
// for faults; plus seeding through the public API (an owner from `latchkey account create`,
// then sites, units, people and locks over HTTP). Everything started here is stopped by stop().
import { spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const children = new Set();
process.on("exit", () => children.forEach((c) => c.kill("SIGKILL")));

function start(bin, args, env) {
  const c = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  c.stdout.on("data", (b) => (log += b));
  c.stderr.on("data", (b) => (log += b));
  c.log = () => log;
  children.add(c);
  return c;
}

async function stopChild(c) {
  if (c.exitCode === null) {
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (c.exitCode === null) c.kill("SIGKILL");
  }
  children.delete(c);
}

async function waitFor(check, what, ms = 15_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Broker + simulator for `site` in `dir`; returns the server's broker settings and a control. */
export async function startFleet({ bin, dir, site, locks = 4, hubs = 1 }) {
  const port = await freePort();
  const env = { ...process.env };
  const { execFileSync } = await import("node:child_process");
  execFileSync(bin, ["broker", "init", "--site", site, "--locks", String(locks), "--hubs", String(hubs), "--dir", dir, "--port", String(port)], { env });
  const broker = start(bin, ["broker", "run", "--dir", dir], env);
  const sock = join(dir, "sim.sock");
  const sim = start(bin, ["sim", "--broker", `127.0.0.1:${port}`, "--site", site, "--locks", String(locks), "--hubs", String(hubs),
    "--credentials", join(dir, "credentials"), "--control", sock, "--manifest", join(dir, "manifest.json")], env);
  await waitFor(() => existsSync(sock) && existsSync(join(dir, "manifest.json")), "the simulator");
  return {
    port,
    manifest: () => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")),
    serverEnv: { LATCHKEY_BROKER_PORT: String(port), LATCHKEY_BROKER_CREDENTIALS_FILE: join(dir, "credentials") },
    control: (req) =>
      new Promise((resolve, reject) => {
        const s = connect(sock);
        let buf = "";
        s.on("data", (b) => {
          buf += b;
          if (buf.includes("\n")) { s.end(); resolve(JSON.parse(buf)); }
        });
        s.on("error", reject);
        s.write(JSON.stringify(req) + "\n");
      }),
    async stop() {
      await stopChild(sim);
      await stopChild(broker);
    },
  };
}

/** A small JSON client for seeding through the public API. */
export function apiClient(url) {
  let token = null;
  const call = async (method, path, body) => {
    const res = await fetch(url + path, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    call,
    /** Commissions a lock: the server answers 503 (recording the lock) until it has heard the
     * lock's state, so that one answer is waited out. */
    async commission(site, body, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        try {
          return await call("POST", `/api/v1/sites/${site}/locks`, body);
        } catch (e) {
          if (!/: 503 /.test(e.message) || Date.now() > end) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async signIn(email, password) {
      token = (await call("POST", "/api/v1/sessions", { email, password })).access_token;
    },
  };
}

/** An account made the way an operator makes the first owner. */
export function createAccount(server, { email, phone, password, name }) {
  const file = server.writeFile(`pw-${email}`, `${password}\n`);
  return server.cli(["account", "create", "--email", email, "--phone", phone, "--name", name ?? email, "--password-file", file]).trim();
}
