import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's Chromium unless COPYDESK_CHROMIUM names another, driven by playwright-core. */
export const CHROMIUM = process.env.COPYDESK_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Limits for browser tests on a loaded machine. Each wait (a locator, a navigation) fails on its own
 * well inside a test's limit, so a failure names what it waited for instead of ending as the test's
 * timeout.
 */
const BROWSER_WAIT_MS = 30_000;
export const BROWSER_TEST_MS = 120_000;

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Script errors, failed loads and CSP violations the pages reported. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A headless Chromium with a throwaway profile. Nothing leaves the machine: any request to a host
 * other than 127.0.0.1 (publisher images…) is answered locally with an empty 204.
 */
export async function launchTestBrowser(): Promise<TestBrowser> {
  const profileDir = mkdtempSync(path.join(tmpdir(), "copydesk-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({ status: 204, body: "" }));
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
