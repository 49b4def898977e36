// What the console's browser tests need: the console built the way `npm run build` builds it (into a
// scratch directory, since the tests run src/ and not dist/), and Debian's Chromium driven by playwright-core.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const ROOT = path.join(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'console');

/** Runs `vite build console` into a fresh directory and returns it (for HERALD_CONSOLE_DIR). */
export function buildConsole(): string {
  const outDir = mkdtempSync(path.join(process.env.HERALD_TEST_SCRATCH ?? os.tmpdir(), 'console-'));
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', 'console', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });
  return outDir;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install chromium\` (Debian), or set CHROMIUM_PATH to a Chromium binary.`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** Saves a full-page screenshot as test-artifacts/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The element's text once it is there (playwright-core has no auto-waiting assertions of its own). */
export async function textOf(locator: Locator, timeout = 15_000): Promise<string> {
  await locator.waitFor({ timeout });
  return locator.innerText();
}
