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

const publicPages = {
  home: { open: async (p) => p.goto("/") },
  "sign-in": { open: async (p) => p.goto("/sign-in") },
  "locked-out-door": { open: async (p) => p.goto("/locked-out?site=maple-court&door=204") },
  "locked-out-symptoms": {
    open: async (p) => {
      await p.goto("/locked-out?site=maple-court&door=204");
      await p.getByRole("button", { name: "Next" }).click();
      await p.getByRole("checkbox", { name: /in an X/ }).check();
    },
  },
  "locked-out-diagnosis": {
    needs: ["POST /api/v1/lockout/cases"],
    open: async (p) => {
      await p.goto("/locked-out?site=maple-court&door=204");
      await p.getByRole("button", { name: "Next" }).click();
      await p.getByRole("checkbox", { name: /in an X/ }).check();
      await p.getByRole("button", { name: "Find out what to do" }).click();
      await p.getByText("Most likely:").waitFor();
    },
  },
};
const signedInPages = {
  doors: { path: "/locks", needs: ["GET /api/v1/sites/{site}/locks"] },
  codes: { path: "/codes", needs: ["GET /api/v1/sites/{site}/codes"] },
  phones: { path: "/devices", needs: ["GET /api/v1/me/devices"] },
  fleet: { path: "/manage/fleet", needs: ["GET /api/v1/sites/{site}/locks", "GET /api/v1/sites/{site}/hubs"] },
  "work-orders": { path: "/manage/work-orders", needs: ["GET /api/v1/sites/{site}/work_orders"] },
  people: { path: "/manage/people", needs: ["GET /api/v1/sites/{site}/people"] },
  audit: { path: "/manage/audit", needs: ["GET /api/v1/sites/{site}/audit"] },
};

const written = [];
async function shoot(name, viewport, open) {
  const page = await newPage(browser, url, viewport);
  await open(page);
  await page.waitForLoadState("networkidle");
  const file = join(out, `${name}-${viewport === kPhone ? "phone" : "desktop"}.png`);
  await page.screenshot({ path: file, fullPage: true });
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
        });
      }
    }
  }
} finally {
  await browser.close();
  await own?.stop();
}
console.log(written.map((f) => `wrote ${f}`).join("\n"));
