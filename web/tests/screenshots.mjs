// npm run screenshots: PNGs of the main pages at phone (390 px) and desktop (1280 px) width, from
// the running product, into docs/screenshots/<page>-phone.png and <page>-desktop.png.
//   SCREENSHOT_URL=http://127.0.0.1:8080   a running `latchkey serve` (e.g. make demo); without it
//                                        a fresh server is started on a temp store
//   SCREENSHOT_EMAIL / SCREENSHOT_PASSWORD   sign in too and shoot the signed-in pages
// A page whose API this server does not serve yet is skipped, so no screenshot shows a
// "not available" note in place of the page.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startServer, servedRoutes, repo } from "./support/server.mjs";
import { launch, newPage, kPhone, kDesktop } from "./support/browser.mjs";

const out = join(repo, "docs/screenshots");
mkdirSync(out, { recursive: true });

const own = process.env.SCREENSHOT_URL ? null : await startServer();
const url = process.env.SCREENSHOT_URL ?? own.url;
const served = await servedRoutes(url);
const browser = await launch();

// The demo site (`latchkey demo`, app/demo_site.cpp): apartment 101's door is jammed, 103's battery is low.
const wizard = async (p, unit, symptom) => {
  await p.goto(`/locked-out?site=maple-court&door=${unit}`);
  await p.getByRole("button", { name: "Next" }).click();
  await p.getByRole("checkbox", { name: symptom }).check();
};
const publicPages = {
  home: { open: async (p) => p.goto("/") },
  "sign-in": { open: async (p) => p.goto("/sign-in") },
  "locked-out-door": { open: async (p) => p.goto("/locked-out?site=maple-court&door=101") },
  "locked-out-symptoms": { open: async (p) => wizard(p, "101", /in an X/) },
  "locked-out-diagnosis": {
    needs: ["POST /api/v1/lockout/cases"],
    open: async (p) => {
      await wizard(p, "103", "My code is rejected");
      await p.getByRole("button", { name: "Find out what to do" }).click();
      await p.getByText("Most likely:").waitFor();
    },
  },
};
// `open` (optional) runs after sign-in; `shot` (optional) narrows the picture to one part;
// `fullPage: false` keeps the first screenful.
const signedInPages = {
  doors: { path: "/locks", needs: ["GET /api/v1/sites/{site}/locks"] },
  codes: { path: "/codes", needs: ["GET /api/v1/sites/{site}/codes"] },
  phones: { path: "/devices", needs: ["GET /api/v1/me/devices"] },
  "locked-out-jam": {
    path: "/locked-out?site=maple-court",
    needs: ["POST /api/v1/lockout/cases", "GET /api/v1/sites/{site}/locks"],
    open: async (p) => {
      await p.getByRole("button", { name: "Apartment 101" }).click();
      await p.getByRole("checkbox", { name: /in an X/ }).check();
      await p.getByRole("button", { name: "Find out what to do" }).click();
      await p.getByText("Most likely:").waitFor();
    },
  },
  fleet: { path: "/manage/fleet", needs: ["GET /api/v1/sites/{site}/locks", "GET /api/v1/sites/{site}/hubs"] },
  "battery-trend": {
    path: "/manage/fleet",
    needs: ["GET /api/v1/sites/{site}/locks/{lock}/battery"],
    open: async (p) => p.locator(".charts canvas").first().waitFor(),
    shot: (p) => p.locator(".charts"),
  },
  "shared-code-progress": {
    path: "/manage/codes",
    needs: ["POST /api/v1/sites/{site}/codes", "GET /api/v1/sites/{site}/codes/{code}/progress"],
    open: async (p) => {
      await p.getByLabel("Who it is for").fill("Plumber");
      await p.getByRole("button", { name: /Send to \d+ doors/ }).click();
      await p.getByText(/waiting/).waitFor();
      await p.waitForTimeout(1500); // the reachable doors report it set
    },
  },
  "work-orders": { path: "/manage/work-orders", needs: ["GET /api/v1/sites/{site}/work_orders"] },
  lockouts: { path: "/manage/cases", needs: ["GET /api/v1/sites/{site}/lockout/cases"] },
  people: { path: "/manage/people", needs: ["GET /api/v1/sites/{site}/people"] },
  audit: { path: "/manage/audit", needs: ["GET /api/v1/sites/{site}/audit"], fullPage: false }, // the first screenful of a long log
  firmware: { path: "/manage/firmware", needs: ["GET /api/v1/sites/{site}/locks"] },
};

const written = [];
async function shoot(name, viewport, open, { shot, fullPage = true } = {}) {
  const page = await newPage(browser, url, viewport);
  await open(page);
  // Not "networkidle": a signed-in page keeps its live stream open. Settled is: nothing loading.
  await page.waitForLoadState("load");
  await page.waitForFunction(() => !document.querySelector(".loading"), null, { timeout: 15_000 });
  await page.waitForTimeout(300);
  const file = join(out, `${name}-${viewport === kPhone ? "phone" : "desktop"}.png`);
  if (shot) await shot(page).screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage });
  written.push(file);
  await page.context().close();
}

try {
  for (const viewport of [kPhone, kDesktop]) {
    for (const [name, p] of Object.entries(publicPages)) {
      if ((p.needs ?? []).every((r) => served.has(r))) await shoot(name, viewport, p.open);
    }
    if (process.env.SCREENSHOT_EMAIL) {
      for (const [name, p] of Object.entries(signedInPages)) {
        if (!p.needs.every((r) => served.has(r))) continue;
        await shoot(name, viewport, async (page) => {
          await page.goto("/sign-in");
          await page.getByLabel("Email").fill(process.env.SCREENSHOT_EMAIL);
          await page.getByLabel("Password").fill(process.env.SCREENSHOT_PASSWORD ?? "");
          await page.getByRole("button", { name: "Sign in" }).click();
          await page.waitForURL("**/locks");
          await page.goto(p.path);
          await p.open?.(page);
        }, p);
      }
    }
  }
} finally {
  await browser.close();
  await own?.stop();
}
console.log(written.map((f) => `wrote ${f}`).join("\n"));
