// Forgot password, against the real identity routes and a real SMTP sink: from the sign-in page a
// person asks for a link, reads it in the mail that arrived, is refused a too-short password beside
// the field, sets a good one, and from then on only the new password signs in; the link is good
// once. The answer to a request is the same sentence whether or not the address has an account,
// and an address that has none gets no mail. Skips, naming the routes, while this server does not
// serve password reset.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, servedRoutes, missing } from "./support/server.mjs";
import { launch, newPage, kPhone, axeViolations } from "./support/browser.mjs";
import { createAccount } from "./support/fleet.mjs";
import { startSmtpSink } from "./support/smtp_sink.mjs";

const kNeeds = ["POST /api/v1/password-reset", "POST /api/v1/password-reset/complete", "POST /api/v1/sessions"];
const kNoor = { email: "noor@example.test", phone: "+15555550103", password: "noor's old passphrase", name: "Noor" };
const kLeo = { email: "leo@example.test", phone: "+15555550104", password: "leo's own passphrase", name: "Leo" };
const kNewPassword = "a brand new passphrase for noor";
const kLink = /\/reset-password\/[A-Za-z0-9_-]+/;

let server, browser, mail, gaps;
before(async () => {
  mail = await startSmtpSink(mkdtempSync(join(tmpdir(), "latchkey-mail-")));
  server = await startServer({ env: mail.serverEnv });
  gaps = missing(await servedRoutes(server.url), kNeeds);
  if (gaps.length) return;
  browser = await launch();
  createAccount(server, kNoor);
  createAccount(server, kLeo);
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await mail?.stop();
});

/** Asks for a reset link on /forgot-password; the page as it stands after the answer. */
async function askForLink(page, email) {
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  return page.getByRole("status").filter({ hasText: "Check your email." });
}

async function signIn(page, email, password) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("forgot password: a link by email, a policy refusal beside the field, then only the new password works", async (t) => {
  if (gaps.length) return t.skip(`waiting for API: ${gaps.join(", ")}`);
  const page = await newPage(browser, server.url, kPhone);
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await page.waitForURL("**/forgot-password");
  const sent = await askForLink(page, kNoor.email);
  await sent.waitFor();
  assert.match(await sent.innerText(), /If the address belongs to an account, a link to reset its password is on its way/);
  assert.deepEqual(await axeViolations(page), []);

  // The link arrives at the account's own address, by the outbox, as a person would get it.
  const message = await mail.waitFor(kNoor.email, kLink);
  assert.match(message.headers, /^Subject: Reset your Latchkey password\s*$/im);
  const link = message.text.match(kLink)[0];
  assert.equal(link.split("/").pop().length, 43, `a 256-bit base64url token: ${link}`);

  await page.goto(link);
  await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
  const field = page.getByLabel("New password", { exact: true });
  assert.equal(await field.getAttribute("autocomplete"), "new-password");
  await field.fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.locator("#new-password-error").waitFor();
  assert.match(await page.locator("#new-password-error").innerText(), /8 to 128 characters/);
  assert.equal(await field.getAttribute("aria-invalid"), "true");
  assert.deepEqual(await axeViolations(page), []);

  await field.fill(kNewPassword);
  await page.getByRole("button", { name: "Set new password" }).click();
  await page.getByRole("status").filter({ hasText: "Your password is changed." }).waitFor();
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await page.waitForURL("**/sign-in");

  // The old password no longer opens the account; the new one does.
  await signIn(page, kNoor.email, kNoor.password);
  await page.getByRole("alert").filter({ hasText: "That email and password do not match" }).waitFor();
  await signIn(page, kNoor.email, kNewPassword);
  await page.waitForURL("**/locks");

  // The link was good once: opened again, it says so and offers a new one.
  const again = await newPage(browser, server.url, kPhone);
  await again.goto(link);
  await again.getByLabel("New password", { exact: true }).fill("yet another long passphrase");
  await again.getByRole("button", { name: "Set new password" }).click();
  await again.getByRole("alert").filter({ hasText: "This link is not valid or has expired." }).waitFor();
  assert.equal(await again.getByRole("link", { name: "Ask for a new link" }).getAttribute("href"), "/forgot-password");
  assert.deepEqual(await axeViolations(again), []);
  assert.deepEqual([...page.errors, ...again.errors], []);
  await again.context().close();
  await page.context().close();
});

test("forgot password: an unknown address gets the same answer and no mail; a non-address is refused beside the field", async (t) => {
  if (gaps.length) return t.skip(`waiting for API: ${gaps.join(", ")}`);
  const answerFor = async (email) => {
    const page = await newPage(browser, server.url, kPhone);
    await page.goto("/forgot-password");
    const sent = await askForLink(page, email);
    await sent.waitFor();
    const text = await sent.innerText();
    await page.context().close();
    return text;
  };
  const stranger = await answerFor("nobody@example.test");
  const known = await answerFor(kLeo.email);
  assert.equal(stranger, known, "the same answer whether or not the account exists");
  await mail.waitFor(kLeo.email, kLink); // Leo's mail went out; by then nobody's would have too
  assert.equal(mail.messages().filter((m) => m.headers.includes("nobody@example.test")).length, 0);

  const page = await newPage(browser, server.url, kPhone);
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill("not an address");
  await page.getByRole("button", { name: "Send me a reset link" }).click();
  await page.locator("#email-error").waitFor();
  assert.equal(await page.getByLabel("Email").getAttribute("aria-invalid"), "true");
  assert.equal(await page.getByRole("status").filter({ hasText: "Check your email." }).count(), 0);
  await page.context().close();
});
