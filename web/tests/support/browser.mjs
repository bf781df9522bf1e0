// Debian's Chromium, headless, driven by playwright-core (no browser downloads), and axe-core.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

export const kPhone = { width: 390, height: 844 };
export const kDesktop = { width: 1280, height: 900 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.WEBTEST_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

export async function newPage(browser, url, viewport = kPhone) {
  const context = await browser.newContext({ baseURL: url, viewport, isMobile: viewport === kPhone, hasTouch: viewport === kPhone });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.errors = errors;
  return page;
}

/** Serious and critical WCAG 2.1 A/AA violations on the page as it is now. */
export async function axeViolations(page) {
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}
