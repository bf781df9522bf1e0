// Every page reachable without signing in, at phone and desktop width, has no serious or
// critical WCAG 2.1 A/AA violation by axe-core, and the app is installable (manifest, icons).
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "./support/server.mjs";
import { launch, newPage, kPhone, kDesktop, axeViolations } from "./support/browser.mjs";

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const pages = {
  home: async (p) => { await p.goto("/"); await p.getByRole("heading", { level: 1 }).waitFor(); },
  "sign-in": async (p) => { await p.goto("/sign-in"); await p.getByLabel("Email").waitFor(); },
  "wizard-door": async (p) => { await p.goto("/locked-out"); await p.getByLabel("Building code").waitFor(); },
  "wizard-door-errors": async (p) => { await p.goto("/locked-out"); await p.getByRole("button", { name: "Next" }).click(); await p.locator("#site-error").waitFor(); },
  "wizard-symptoms": async (p) => {
    await p.goto("/locked-out?site=maple-court&door=204");
    await p.getByRole("button", { name: "Next" }).click();
    await p.getByRole("heading", { name: "What do you see?" }).waitFor();
    await p.getByRole("checkbox", { name: /in an X/ }).check();
  },
  "wizard-outcome": async (p) => {
    await p.goto("/locked-out?site=maple-court&door=204");
    await p.getByRole("button", { name: "Next" }).click();
    await p.getByRole("checkbox", { name: /stays dark/ }).check();
    await p.getByRole("button", { name: "Find out what to do" }).click();
    await p.getByRole("heading", { level: 2 }).filter({ hasText: /What you can try now|What we found/ }).waitFor();
  },
  "forgot-password": async (p) => { await p.goto("/forgot-password"); await p.getByLabel("Email").waitFor(); },
  // The answer to a non-address: beside the field where the server serves the route, a note where it does not.
  "forgot-password-errors": async (p) => {
    await p.goto("/forgot-password");
    await p.getByLabel("Email").fill("not an address");
    await p.getByRole("button", { name: "Send me a reset link" }).click();
    await p.locator("#email-error, [role=alert]").first().waitFor();
  },
  "reset-password": async (p) => { await p.goto("/reset-password/not-a-real-token"); await p.getByLabel("New password", { exact: true }).waitFor(); },
  "reset-password-refused": async (p) => {
    await p.goto("/reset-password/not-a-real-token");
    await p.getByLabel("New password", { exact: true }).fill("a long enough passphrase");
    await p.getByRole("button", { name: "Set new password" }).click();
    await p.locator("[role=alert]").first().waitFor();
  },
  "backup-link": async (p) => { await p.goto("/backup/not-a-real-token"); await p.getByRole("heading", { name: "Backup code" }).waitFor(); },
};

for (const [width, viewport] of [["phone", kPhone], ["desktop", kDesktop]]) {
  describe(`accessibility at ${width} width`, () => {
    for (const [name, open] of Object.entries(pages)) {
      test(`${name}: no serious or critical axe violations`, async () => {
        const page = await newPage(browser, server.url, viewport);
        await open(page);
        assert.deepEqual(await axeViolations(page), []);
        if (viewport === kPhone) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `no sideways scrolling at phone width (${overflow}px too wide)`);
        }
        assert.deepEqual(page.errors, []);
        await page.context().close();
      });
    }
  });
}

test("the app is installable: a manifest with icons the server serves with the right types", async () => {
  const res = await fetch(`${server.url}/manifest.webmanifest`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /application\/manifest\+json/);
  const m = await res.json();
  assert.equal(m.display, "standalone");
  assert.equal(m.start_url, "/");
  for (const icon of m.icons) {
    const r = await fetch(`${server.url}${icon.src}`);
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers.get("content-type"), icon.type, icon.src);
  }
});

test("app routes get the app; unknown API paths stay JSON 404s", async () => {
  for (const path of ["/locked-out", "/backup/abc", "/forgot-password", "/reset-password/abc", "/manage/fleet"]) {
    const r = await fetch(`${server.url}${path}`);
    assert.equal(r.status, 200, path);
    assert.match(await r.text(), /<div id="app">/, path);
  }
  const api = await fetch(`${server.url}/api/v1/no-such-thing`);
  assert.equal(api.status, 404);
  assert.equal((await api.json()).error.code, "not_found");
});
