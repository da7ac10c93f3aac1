import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';

/** The demo workspace's secret key (the e2e demo's data folder), to act as the host backend. */
export const demoSecretKey = () => (JSON.parse(readFileSync(new URL('../.tmp/e2e-data/demo-workspace.json', import.meta.url), 'utf8')) as { secretKey: string }).secretKey;

/** Collects console errors and page errors, to assert that a flow logged none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}

export async function expectNoErrors(errors: string[]) {
  expect(errors, 'console errors').toEqual([]);
}

/** How many sampled pixels of a canvas are dark: a rendered PDF page has ink on it, a blank canvas none. */
export function darkPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 16) if (data[i]! < 128) dark++;
    return dark;
  });
}

/**
 * The Content-Security-Policy the README tells a host to send when it serves the page and `dist/` from one origin:
 * no inline styles or scripts, no eval, Trusted Types required. (From another origin, add the Dossier server's origin
 * to script-src, connect-src and img-src, and `blob:` to worker-src: the README's "Strict Content-Security-Policy".)
 */
export const STRICT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html dossier',
].join('; ');
