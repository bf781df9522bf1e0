// A real SMTP server for the browser tests: aiosmtpd (Debian's python3-aiosmtpd, the same sink the
// C++ tests use) on a free loopback port, storing what it accepts in a Maildir. The server's
// notify sends email to it over the wire (serverEnv), and a test reads the message a person would
// get — the backup-code link comes from there, not from any back door. stop() ends it.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { freePort } from "./fleet.mjs";

const kPython = "/usr/bin/python3"; // Debian's, where python3-aiosmtpd is installed

function accepting(port) {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.end(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

function parse(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? "" : raw.slice(split).trimStart();
  const base64 = /^content-transfer-encoding:\s*base64/im.test(headers);
  return { headers, text: base64 ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8") : body };
}

/** Starts the sink with its Maildir in `dir`. */
export async function startSmtpSink(dir) {
  const port = await freePort();
  const mail = join(dir, "maildir");
  const child = spawn(kPython, ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${port}`, "-c", "aiosmtpd.handlers.Mailbox", mail], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (b) => (log += b));
  child.stderr.on("data", (b) => (log += b));
  process.on("exit", () => child.kill("SIGKILL"));
  const end = Date.now() + 20_000;
  while (!(await accepting(port))) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`smtp sink did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  /** Every message as { headers (the raw header block), text (the body, base64 decoded when the
   * message says it is) }. */
  const messages = () => {
    const out = [];
    for (const sub of ["new", "cur"]) {
      const d = join(mail, sub);
      if (existsSync(d)) for (const f of readdirSync(d).sort()) out.push(parse(readFileSync(join(d, f), "utf8")));
    }
    return out;
  };
  return {
    serverEnv: {
      LATCHKEY_NOTIFY_EMAIL_ENABLED: "true",
      LATCHKEY_NOTIFY_SMTP_URL: `smtp://127.0.0.1:${port}`,
      LATCHKEY_NOTIFY_SMTP_STARTTLS: "off",
      LATCHKEY_NOTIFY_EMAIL_FROM: "latchkey@example.test",
    },
    messages,
    /** The first message to `to` whose text matches `pattern`, waiting up to `ms` for it. */
    async waitFor(to, pattern, ms = 20_000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = messages().find((m) => m.headers.includes(to) && pattern.test(m.text));
        if (found) return found;
        if (Date.now() > until) throw new Error(`no mail to ${to} matching ${pattern} (got ${messages().length} messages)\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
    },
  };
}
