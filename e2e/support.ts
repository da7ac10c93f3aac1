import { expect, type Page } from '@playwright/test';

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
