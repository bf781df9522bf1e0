// The full flows of issue 5 against the real server, broker and simulator. Each names the routes
// it needs; while this server does not serve them all (server/api/openapi/*.json is the list),
// the test is SKIPPED with the missing routes as its reason — never passed on made-up data.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, servedRoutes, missing } from "./support/server.mjs";
import { launch, newPage, kPhone, kDesktop, axeViolations } from "./support/browser.mjs";
import { apiClient, createAccount, startFleet } from "./support/fleet.mjs";
import { startSmtpSink } from "./support/smtp_sink.mjs";

const kSite = "maple-court";
const kOwner = { email: "olive@example.test", phone: "+15555550101", password: "correct horse battery staple", name: "Olive Owner" };
const kResident = { email: "ana@example.test", phone: "+15555550100", password: "ana's long passphrase 204", name: "Ana Resident" };

const needs = {
  signIn: ["POST /api/v1/sessions", "GET /api/v1/me", "GET /api/v1/sites"],
  seedPeople: ["POST /api/v1/sites", "POST /api/v1/sites/{site}/units", "POST /api/v1/sites/{site}/people"],
  locks: ["POST /api/v1/sites/{site}/locks", "GET /api/v1/sites/{site}/locks", "GET /api/v1/sites/{site}/live"],
  unlock: ["POST /api/v1/sites/{site}/locks/{lock}/unlock", "GET /api/v1/sites/{site}/commands/{command}"],
  codes: ["GET /api/v1/sites/{site}/codes", "POST /api/v1/sites/{site}/codes"],
  lockout: ["POST /api/v1/lockout/cases", "POST /api/v1/lockout/backup-codes", "GET /api/v1/lockout/backup-links/{token}"],
  moveOut: ["GET /api/v1/sites/{site}/people", "DELETE /api/v1/sites/{site}/people/{membership}", "GET /api/v1/sites/{site}/accounts/{account}/removals"],
  fleet: ["GET /api/v1/sites/{site}/hubs", "GET /api/v1/sites/{site}/locks/{lock}/battery"],
};

let server, browser, served, fleet, mail;
let world = null; // the promise of what seeding made

before(async () => {
  const probe = await startServer();
  served = await servedRoutes(probe.url);
  await probe.stop();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await fleet?.stop();
  await mail?.stop();
});

function gaps(...groups) {
  return missing(served, groups.flatMap((g) => needs[g]));
}

/** Starts broker, simulator and server, and seeds owner, resident, units and locks (once: a
 * failed seeding fails every test that needs it with the same answer, without a second fleet). */
function seed() {
  world ??= seedOnce();
  return world;
}

async function seedOnce() {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { latchkeyBinary } = await import("./support/server.mjs");
  fleet = await startFleet({ bin: latchkeyBinary(), dir: mkdtempSync(join(tmpdir(), "latchkey-fleet-")), site: kSite, locks: 4, hubs: 1 });
  mail = await startSmtpSink(mkdtempSync(join(tmpdir(), "latchkey-mail-")));
  server = await startServer({ env: { ...fleet.serverEnv, ...mail.serverEnv } });
  createAccount(server, kOwner);
  createAccount(server, kResident);
  const owner = apiClient(server.url);
  await owner.signIn(kOwner.email, kOwner.password);
  await owner.call("POST", "/api/v1/sites", { id: kSite, name: "Maple Court", timezone: "America/New_York" });
  await owner.call("POST", `/api/v1/sites/${kSite}/units`, { id: "204", name: "Apartment 204" });
  const ana = await owner.call("POST", `/api/v1/sites/${kSite}/people`, { email: kResident.email, role: "resident", unit: "204" });
  const { locks, hubs } = fleet.manifest();
  for (const h of hubs ?? []) await owner.call("POST", `/api/v1/sites/${kSite}/hubs`, { id: h.id, name: `Hub ${h.id}` });
  const bodies = locks.map((l, i) => ({
    id: l.id, name: i === 0 ? "204 front door" : `Door ${l.id}`, unit: i === 0 ? "204" : null, link: l.link,
    pairing_code: l.pairing_code, backup_pool: l.backup_pool,
  }));
  // The simulator's locks are online before they are registered: the server pairs each at once
  // with what it heard of it (or answers 503 until it has heard it).
  for (const b of bodies) await owner.commission(kSite, b);
  return { owner, ana, door: locks[0].id };
}

async function signInAs(page, who) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/locks");
}

test("sign-in: a resident signs in and sees their doors", async (t) => {
  const g = gaps("signIn", "seedPeople", "locks");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  const w = await seed();
  const page = await newPage(browser, server.url, kPhone);
  await signInAs(page, kResident);
  await page.getByRole("heading", { name: "204 front door" }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test("sign-in: a wrong password is said in plain words", async (t) => {
  const g = gaps("signIn", "seedPeople", "locks");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  const w = await seed();
  const page = await newPage(browser, server.url, kPhone);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(kResident.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "That email and password do not match" }).waitFor();
  await page.context().close();
});

test("unlock: progress is shown and the outcome is the lock's own answer", async (t) => {
  const g = gaps("signIn", "seedPeople", "locks", "unlock");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  const w = await seed();
  const page = await newPage(browser, server.url, kPhone);
  await signInAs(page, kResident);
  const card = page.getByRole("article", { name: "204 front door" });
  await card.getByRole("button", { name: "Unlock" }).click();
  await card.getByRole("status").filter({ hasText: /Unlocked: the lock confirmed it/ }).waitFor({ timeout: 15_000 });
  // A jammed lock: the honest failure, not a success.
  await fleet.control({ fault: "jam", lock: w.door });
  await card.getByRole("button", { name: "Lock", exact: true }).click();
  await card.getByRole("status").filter({ hasText: /failed: the lock answered/ }).waitFor({ timeout: 15_000 });
  await fleet.control({ fault: "clear_jam", lock: w.door });
  await page.context().close();
});

test("guest code: a window and a weekly schedule, then its status on the door", async (t) => {
  const g = gaps("signIn", "seedPeople", "locks", "codes");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  const w = await seed();
  const page = await newPage(browser, server.url, kPhone);
  await signInAs(page, kResident);
  await page.goto("/codes");
  await page.getByRole("button", { name: "New guest code" }).click();
  await page.getByLabel("Guest's name").fill("Cleaner");
  await page.getByLabel("Code (optional)").fill("582913");
  await page.getByRole("checkbox", { name: "204 front door" }).check();
  await page.getByLabel("Starts").fill("2030-01-01T09:00");
  await page.getByLabel("Ends").fill("2030-03-01T18:00");
  for (const d of ["Monday", "Wednesday", "Friday"]) await page.getByRole("checkbox", { name: d }).check();
  await page.getByText("Works Mo,We,Fr 08:00-18:00").waitFor();
  await page.getByRole("button", { name: "Create guest code" }).click();
  await page.getByText("Guest code for Cleaner").waitFor();
  const card = page.getByRole("article", { name: /Cleaner/ });
  await card.getByRole("cell", { name: "204 front door" }).waitFor(); // the door by its name
  await card.getByText(/Waiting to reach the lock|On the lock/).first().waitFor();
  await page.context().close();
});

test("locked out, signed in: the wizard diagnoses a jam from the lock's own report", async (t) => {
  const g = gaps("signIn", "seedPeople", "locks", "unlock", "lockout");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  const w = await seed();
  // The bolt sticks, and the motor stalls on the next turn: the lock reports the jam.
  await fleet.control({ fault: "jam", lock: w.door });
  const { health } = await w.owner.call("GET", `/api/v1/sites/${kSite}/locks/${w.door}`);
  const tried = await w.owner.call("POST", `/api/v1/sites/${kSite}/locks/${w.door}/${health.bolt === "locked" ? "unlock" : "lock"}`);
  assert.equal(tried.error, "jammed", JSON.stringify(tried));
  const page = await newPage(browser, server.url, kPhone);
  await signInAs(page, kResident);
  await page.goto(`/locked-out?site=${kSite}`);
  await page.getByRole("button", { name: "204 front door" }).click();
  await page.getByRole("checkbox", { name: /in an X/ }).check();
  await page.getByRole("button", { name: "Find out what to do" }).click();
  await page.getByText("Most likely:").waitFor();
  assert.match(await page.locator(".lead").innerText(), /bolt is jammed/i);
  assert.match(await page.locator(".evidence").first().innerText(), /reported the bolt jammed/);
  assert.match(await page.locator("ol.plan > li").first().innerText(), /Push or pull the door/);
  assert.deepEqual(await axeViolations(page), []);
  // Freed, the next turn works and the lock reports the bolt moving again.
  await fleet.control({ fault: "clear_jam", lock: w.door });
  const turned = await w.owner.call("POST", `/api/v1/sites/${kSite}/locks/${w.door}/lock`);
  assert.equal(turned.status, "succeeded", JSON.stringify(turned));
  await page.context().close();
});

test("locked out, not signed in: a backup code by email reaches the link page", async (t) => {
  const g = gaps("seedPeople", "locks", "lockout");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  await seed();
  // Not signed in, nothing about the account is shown; the request itself checks it, and the
  // answer is the same for an address no account has.
  const ask = async (email) => {
    const page = await newPage(browser, server.url, kPhone);
    await page.goto(`/locked-out?site=${kSite}&door=204`);
    await page.getByRole("button", { name: "Next" }).click();
    await page.getByRole("checkbox", { name: "My code is rejected" }).check();
    await page.getByRole("button", { name: "Find out what to do" }).click();
    await page.getByText("Most likely:").waitFor();
    await page.getByRole("button", { name: "Get a backup code" }).click();
    await page.getByLabel("Email on your account").fill(email);
    await page.getByRole("button", { name: "Send me a backup code" }).click();
    await page.getByText("Check your messages.").waitFor();
    return page;
  };
  const stranger = await ask("nobody@example.test");
  const sameAnswer = await stranger.locator(".diagnosis").innerText();
  await stranger.context().close();
  const page = await ask(kResident.email);
  assert.equal(await page.locator(".diagnosis").innerText(), sameAnswer, "the same answer whether or not the account exists");
  // The link goes out by email through the outbox: read it from the message that arrived.
  const message = await mail.waitFor(kResident.email, /\/backup\/[A-Za-z0-9_-]+/);
  assert.equal(mail.messages().filter((m) => m.headers.includes("nobody@example.test")).length, 0);
  await page.goto(message.text.match(/\/backup\/[A-Za-z0-9_-]+/)[0]);
  await page.getByRole("heading", { name: "Your backup code" }).waitFor();
  assert.match(await page.locator(".countdown").innerText(), /expires in (29|30|2\d):\d\d/);
  assert.deepEqual(await axeViolations(page), []);
  await page.context().close();
});

test("move-out: the manager ends a residency and sees removal pending on N doors", async (t) => {
  const g = gaps("signIn", "seedPeople", "locks", "moveOut");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  const w = await seed();
  const page = await newPage(browser, server.url, kDesktop);
  await signInAs(page, kOwner);
  await page.goto("/manage/people");
  page.once("dialog", (d) => d.accept());
  const row = page.getByRole("row").filter({ hasText: kResident.email });
  await row.getByRole("button", { name: "Move out" }).click();
  await page.getByText(/Removal pending on \d+ doors?|Their codes are removed from every door/).waitFor();
  await page.context().close();
});

test("fleet health: offline hub, low battery and jam at a glance, with battery trends", async (t) => {
  const g = gaps("signIn", "seedPeople", "locks", "fleet");
  if (g.length) return t.skip(`waiting for API: ${g.join(", ")}`);
  const w = await seed();
  const hub = fleet.manifest().hubs?.[0]?.id;
  if (hub) await fleet.control({ fault: "hub_down", hub });
  const page = await newPage(browser, server.url, kDesktop);
  await signInAs(page, kOwner);
  await page.goto("/manage/fleet");
  await page.getByRole("heading", { name: "Fleet health" }).waitFor();
  await page.getByText(/hubs offline/).waitFor();
  await page.getByRole("heading", { name: "Battery trends" }).waitFor();
  assert.deepEqual(await axeViolations(page), []);
  if (hub) await fleet.control({ fault: "hub_up", hub });
  await page.context().close();
});
