// Runs the real `latchkey serve` for a test: a temp directory with its own SQLite file, a free
// port (http.port 0; the port is read from the server's "serving http://…" line), and the built
// web app as [web] static_dir. stop() sends SIGTERM and waits; the process is also killed if the
// test runner exits first, so no server is left behind.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "../../..");

export function latchkeyBinary() {
  const candidates = [process.env.WEBTEST_LATCHKEY, join(repo, "build/latchkey"), join(repo, "build/release/app/latchkey"), join(repo, "build/debug/app/latchkey")];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error("no latchkey binary: run `make build` or set WEBTEST_LATCHKEY");
  return found;
}

export function webDir() {
  const dir = process.env.WEBTEST_WEB_DIR ?? join(repo, "build/web");
  if (!existsSync(join(dir, "index.html"))) throw new Error(`no web build in ${dir}: run web/scripts/build.sh`);
  return dir;
}

const running = new Set();
process.on("exit", () => running.forEach((p) => p.kill("SIGKILL")));

export async function startServer({ env = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "latchkey-web-"));
  const bin = latchkeyBinary();
  // The server refuses unknown LATCHKEY_* variables, and a developer's own settings must not leak
  // into a test: start from the environment without any of them.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LATCHKEY_")));
  const baseEnv = {
    ...inherited,
    LATCHKEY_HTTP_PORT: "0",
    LATCHKEY_STORE_PATH: join(dir, "latchkey.db"),
    LATCHKEY_WEB_STATIC_DIR: webDir(),
    LATCHKEY_LOG_ACCESS: "false",
    ASAN_OPTIONS: process.env.ASAN_OPTIONS ?? "detect_leaks=0",
    ...env,
  };
  const child = spawn(bin, ["serve"], { env: baseEnv, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let log = "";
  const url = await new Promise((resolvePort, rejectStart) => {
    const reject = (e) => {
      child.kill("SIGKILL");
      running.delete(child);
      rmSync(dir, { recursive: true, force: true });
      rejectStart(e);
    };
    const timer = setTimeout(() => reject(new Error(`latchkey serve did not start:\n${log}`)), 20_000);
    const onData = (b) => {
      log += b.toString();
      const m = log.match(/serving (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolvePort(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`latchkey serve exited ${code}:\n${log}`)));
  });
  return {
    url,
    dir,
    bin,
    env: baseEnv,
    log: () => log,
    /** Runs a latchkey subcommand against the same store (e.g. `account create`). */
    cli(args, input) {
      return execFileSync(bin, args, { env: baseEnv, input, encoding: "utf8" });
    },
    writeFile(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      running.delete(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The routes the server documents in /api/v1/openapi.json, as "METHOD /path" strings. */
export async function servedRoutes(url) {
  const res = await fetch(`${url}/api/v1/openapi.json`);
  const doc = await res.json();
  const out = new Set();
  for (const [p, ops] of Object.entries(doc.paths ?? {})) for (const m of Object.keys(ops)) out.add(`${m.toUpperCase()} ${p}`);
  return out;
}

/** The routes of `needed` this server does not serve yet (empty: the flow can run). */
export function missing(served, needed) {
  return needed.filter((r) => !served.has(r));
}
