import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';

const PORT = Number(process.env.STORIES_PORT ?? 6107);

/** Storybook smoke test: opens every story of the static build and checks it renders without console errors. */
export default defineConfig({
  testDir: '.',
  testMatch: 'stories.smoke.ts',
  // One worker: two were measured in CI (2.95 s a story against 2.66 s with one) — booting a story keeps both cores busy.
  workers: 1,
  // Two shared cores: a story can take several seconds to boot under load; wait for it instead of failing.
  expect: { timeout: 15_000 },
  reporter: [['list'], ['json']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: { executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `node scripts/serve-static.mjs storybook-static ${PORT}`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/index.json`,
    reuseExistingServer: false,
  },
});
