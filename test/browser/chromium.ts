import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for the UI tests: Debian's chromium driven by
 * playwright-core (never a downloaded browser). VITRINE_CHROMIUM names
 * another binary; VITRINE_SKIP_BROWSER=1 skips the browser tests
 * explicitly. Anything else without Chromium fails, with a message that
 * says how to install it.
 */
export const CHROMIUM = process.env.VITRINE_CHROMIUM ?? '/usr/bin/chromium';
export const SKIP_BROWSER = process.env.VITRINE_SKIP_BROWSER === '1';

/** The flags for a closed network: no first-run, sync, component or background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the web UI tests need a Chromium binary. Install Debian's (apt-get install -y chromium) or set VITRINE_CHROMIUM to one; set VITRINE_SKIP_BROWSER=1 to skip these tests on purpose.`,
    );
  }
}

/** A fresh browser (playwright gives each launch a fresh temporary profile, i.e. a new --user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  // Chromium's crash reporter and caches write under HOME: keep them in a temporary folder.
  const home = mkdtempSync(join(tmpdir(), 'vitrine-chromium-'));
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, env: { ...process.env, HOME: home }, timeout: 30_000 });
}

/** Where screenshots go (git-ignored test-artifacts/browser). */
export function artifactsDir(): string {
  const dir = new URL('../../test-artifacts/browser/', import.meta.url).pathname;
  mkdirSync(dir, { recursive: true });
  return dir;
}
