import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';

const PORT = Number(process.env.STORIES_PORT ?? 6107);

/** Storybook smoke test: opens every story of the static build and checks it renders without console errors. */
export default defineConfig({
  testDir: '.',
  testMatch: 'stories.smoke.ts',
  // Each story loads the preview afresh (~2.5 s, mostly waiting on the browser): in CI, where nothing else runs, two
  // workers use both cores. Locally one, so people working side by side are not slowed.
  workers: process.env.CI ? 2 : 1,
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
