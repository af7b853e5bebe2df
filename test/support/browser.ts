import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium; the tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * `denied`: a fresh headless profile, where the third-party worker frame gets SecurityError on
 * localStorage, IndexedDB and Web Locks. `allowed`: a profile whose preferences allow third-party
 * cookies (desktop Chrome's default), where the frame gets storage partitioned under the portal.
 */
export type StorageMode = 'allowed' | 'denied';
export const STORAGE_MODES: readonly StorageMode[] = ['allowed', 'denied'];

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(mode: StorageMode): Promise<LaunchedBrowser> {
  const profile = mkdtempSync(join(tmpdir(), `hold-relay-${mode}-`));
  if (mode === 'allowed') {
    mkdirSync(join(profile, 'Default'), { recursive: true });
    writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0 } }));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
