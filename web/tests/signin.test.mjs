// Sign-in against the real identity routes: a wrong password in plain words, then an account
// with MFA: the form asks for the authenticator code only after the password, a wrong code is
// said next to the field, the right one signs in, and signing out ends the session. Skips,
// naming the routes, while this server does not serve identity.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { startServer, servedRoutes, missing } from "./support/server.mjs";
import { launch, newPage, kPhone, axeViolations } from "./support/browser.mjs";
import { apiClient, createAccount } from "./support/fleet.mjs";

const kNeeds = ["POST /api/v1/sessions", "DELETE /api/v1/sessions/current", "POST /api/v1/me/mfa", "POST /api/v1/me/mfa/confirm", "GET /api/v1/sites"];
const kMia = { email: "mia@example.test", phone: "+15555550102", password: "mia's long enough passphrase", name: "Mia" };

let server, browser, gaps, secret, usedCode;
before(async () => {
  server = await startServer();
  gaps = missing(await servedRoutes(server.url), kNeeds);
  if (gaps.length) return;
  browser = await launch();
  createAccount(server, kMia);
  const mia = apiClient(server.url);
  await mia.signIn(kMia.email, kMia.password);
  secret = (await mia.call("POST", "/api/v1/me/mfa", { password: kMia.password })).secret;
  usedCode = totp(secret);
  await mia.call("POST", "/api/v1/me/mfa/confirm", { code: usedCode });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** RFC 6238: SHA-1, 6 digits, 30 s, from a base32 secret. */
function totp(base32, at = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of base32.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac("sha1", key).update(counter).digest();
  const o = h[h.length - 1] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

test("a wrong password is said in plain words", async (t) => {
  if (gaps.length) return t.skip(`waiting for API: ${gaps.join(", ")}`);
  const page = await newPage(browser, server.url, kPhone);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(kMia.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "That email and password do not match" }).waitFor();
  assert.equal(await page.getByLabel("Code from your authenticator app").count(), 0, "no code asked before the password is right");
  await page.context().close();
});

test("MFA: the code is asked after the password; a wrong one is refused, the right one signs in", async (t) => {
  if (gaps.length) return t.skip(`waiting for API: ${gaps.join(", ")}`);
  const page = await newPage(browser, server.url, kPhone);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(kMia.email);
  await page.getByLabel("Password").fill(kMia.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const code = page.getByLabel("Code from your authenticator app");
  await code.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "code", null, { timeout: 5000 }); // focus moves to the code
  assert.deepEqual(await axeViolations(page), []);
  const right = totp(secret);
  await code.fill(right === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#code-error").waitFor();
  assert.equal(await code.getAttribute("aria-invalid"), "true");
  // A code is good once: if the window of the code that switched MFA on is still current, wait
  // for the next one, as a person would.
  while (totp(secret) === usedCode) await new Promise((r) => setTimeout(r, 1000));
  await code.fill(totp(secret));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/locks");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((u) => u.pathname === "/");
  assert.equal(await page.evaluate(() => localStorage.getItem("latchkey.tokens")), null);
  await page.context().close();
});
