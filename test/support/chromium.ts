/**
 * Headless Chromium for browser tests (reports, portal): Debian's `chromium` driven by playwright-core, which
 * downloads no browser. One launcher so every test starts the browser the same way, without network.
 *
 *   const browser = await launchChromium();
 *   const page = await openPage(browser);         // collects console errors and page errors
 *   await page.page.setContent(html);
 *   expect(page.errors()).toEqual([]);
 *   await browser.close();
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The Debian package's launcher (`apt-get install -y chromium`). Override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags: headless, no sandbox (containers run as root), and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Gitignored folder for screenshots and other test artifacts (CI keeps it as a job artifact). */
export const TEST_ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'test-artifacts');

/** Starts headless Chromium; fails with the install command when the browser is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
}

/** A page that records console errors and uncaught page errors, and fails any request that leaves the page. */
export interface WatchedPage {
  readonly page: Page;
  /** Console `error` messages, page errors and blocked requests, in order. */
  readonly errors: () => readonly string[];
}

/** Opens a page on the browser; every network request (other than data: and about:) is aborted and recorded. */
export async function openPage(browser: Browser, viewport = { width: 1400, height: 900 }): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('about:')) return route.continue();
    errors.push(`network request: ${url}`);
    return route.abort();
  });
  return { page, errors: () => errors };
}

/** Path of an artifact file under {@link TEST_ARTIFACTS_DIR} (the folder is created). */
export function artifactPath(...parts: string[]): string {
  const path = join(TEST_ARTIFACTS_DIR, ...parts);
  mkdirSync(join(path, '..'), { recursive: true });
  return path;
}
