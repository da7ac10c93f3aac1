import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

const PORT = Number(process.env.E2E_PORT ?? 3199);

/**
 * The framework hosts (`npm test -- hosts`): the React and Vue apps built by prepare.mjs from the packed packages,
 * served on the demo server's origin. The suite builds dist/ and the packages first, so the server only starts here.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: { executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `rm -rf .tmp/hosts-data && node bin/dossier.mjs demo`,
    cwd: '../..',
    env: { PORT: String(PORT), DOSSIER_DATA_DIR: '.tmp/hosts-data' },
    url: `http://localhost:${PORT}/healthz`,
    timeout: 120_000,
    reuseExistingServer: false,
  },
});
