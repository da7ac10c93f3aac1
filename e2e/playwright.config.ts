import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';

const PORT = Number(process.env.E2E_PORT ?? 3199);

/** End-to-end: the real demo (built bundle, real server, fresh seeded SQLite) driven as a user would. */
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  // The framework hosts run in their own suite (npm test -- hosts: e2e/hosts/playwright.config.ts).
  testIgnore: 'hosts/**',
  workers: 1,
  // In CI a test that fails is run once more; one that passes then counts as passed, and the summary names it flaky.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  // Two shared cores: rendering a PDF page or a lazy chunk can take several seconds under load.
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json']],
  use: {
    // A click that cannot happen fails on its own (naming the element it waited for), not as the test's timeout.
    actionTimeout: 20_000,
    baseURL: `http://localhost:${PORT}`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `rm -rf .tmp/e2e-data && npm run --silent build && node bin/dossier.mjs demo`,
    cwd: '..',
    env: { PORT: String(PORT), DOSSIER_DATA_DIR: '.tmp/e2e-data' },
    url: `http://localhost:${PORT}/healthz`,
    // The build runs first (terser on two shared cores can take minutes), then the demo seeds.
    timeout: 300_000,
    reuseExistingServer: false,
  },
});
