// Component tests in real Chromium, against the real Hono app mounted in the test runner's dev server.
import { playwrightLauncher } from '@web/test-runner-playwright';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { register } from 'tsx/esm/api';
import { CHROMIUM_ARGS, findChromium } from './scripts/chromium.mjs';

register();
const { createTestBackend } = await import('./server/src/test-backend.ts');
const backend = await createTestBackend();

export default {
  files: ['packages/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  // One page at a time: each page holds up to two live streams (contacts, documents), and Chromium allows six
  // HTTP/1.1 connections per host across pages; two pages' streams could starve the other's requests.
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  middleware: [backend.middleware],
  plugins: [esbuildPlugin({ ts: true, tsconfig: './tsconfig.json', target: 'es2022' })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: process.env.CHROME_PATH ?? findChromium() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    }),
  ],
};
