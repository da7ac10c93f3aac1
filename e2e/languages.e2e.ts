// Each shipped language on the demo host (?lang= sets the provider's `lang`) and on the public share page (the
// viewer's Accept-Language): the table, the record, the documents and the share viewer show no raw message key and
// no English message that the language translates; Arabic lays them out right-to-left. Screenshots at 1440 and
// 390 px go to .tmp/screens/ to look at.
import { expect, test, type Page } from '@playwright/test';
// @ts-expect-error: a plain ES module script without types
import { catalogue, english } from '../scripts/i18n-check.mjs';
import { expectNoErrors, watchErrors } from './support.js';

const LANGS = ['de', 'es', 'fr', 'ar'] as const;
const SHOTS = '.tmp/screens';

/** Visible text, aria-labels, placeholders and titles inside the elements matching `selector` (shadow roots included). */
async function textsOf(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    const visit = (root: Node) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
        if (n.nodeType === Node.TEXT_NODE) {
          const parent = n.parentElement;
          const text = n.textContent!.trim();
          if (text && parent && !parent.closest('style, script') && parent.checkVisibility()) out.push(text);
        } else if (n instanceof Element) {
          for (const a of ['aria-label', 'placeholder', 'title']) {
            const v = n.getAttribute(a);
            if (v && n.checkVisibility()) out.push(v.trim());
          }
          if (n.shadowRoot) visit(n.shadowRoot);
        }
      }
    };
    for (const el of document.querySelectorAll(sel)) visit(el.shadowRoot ?? el);
    return out;
  }, selector);
}

/** Texts that are a raw key, or an English message the language has its own words for. */
function untranslated(texts: string[], lang: string): string[] {
  const own = catalogue(lang) as Record<string, string>;
  // English words the language says otherwise, unless the language uses the same word elsewhere (German "Upload").
  const theirs = new Set(Object.values(own));
  const englishOnly = new Set<string>();
  for (const [key, { value }] of english as Map<string, { value: string }>) {
    if (!value.includes('{') && own[key] !== undefined && own[key] !== value && value.length > 3 && !theirs.has(value)) englishOnly.add(value);
  }
  const keys = new Set((english as Map<string, unknown>).keys());
  // A raw key stands alone in the text (a word of its own), never inside data like "x@limping-bin.com".
  return [...new Set(texts.filter((s) => keys.has(s) || englishOnly.has(s) || /(?:^|\s)(?:table|record|docs|shareDialog|share|act|attr|audit|tasks|notes|filter|state|upload|bin)\.[a-z]\w*(?:\.\w+)*(?=$|[\s,;:!?)]|\.(?:$|\s))/.test(s)))];
}

for (const lang of LANGS) {
  test(`${lang}: table, record and documents on the demo host`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`/?lang=${lang}`);
    const table = page.locator('contact-table');
    // The first load fetches the bundle, the language's chunk and a page of rows: slow on a busy CI machine.
    await expect(table.getByRole('row').nth(3)).toBeVisible({ timeout: 30_000 });
    const record = page.locator('contact-record');
    await expect(record.getByRole('heading', { level: 2 })).toBeVisible({ timeout: 30_000 });
    // The demo's documents are the record's Documents tab (whatever its label in this language).
    await record.locator('#tab-documents').click();
    await expect(page.locator('contact-documents').getByRole('tablist')).toBeVisible();
    // The language's catalogue chunk has arrived and every element re-rendered with it.
    await expect.poll(() => textsOf(page, 'contact-table, contact-record, contact-documents').then((t) => untranslated(t, lang)), { timeout: 15_000 }).toEqual([]);
    const direction = await table.evaluate((el) => getComputedStyle(el).direction);
    expect(direction).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    await page.screenshot({ path: `${SHOTS}/lang-${lang}-1440.png`, fullPage: true });
    if (lang === 'ar') {
      // A Latin name keeps its own direction in the right-to-left UI (dir=auto): a long one ends in "…" at its end.
      const dirs = await table.evaluate((el) => [...el.shadowRoot!.querySelectorAll('[role=gridcell] .name')].map((n) => getComputedStyle(n).direction));
      expect(dirs).toContain('ltr');
      const h2 = await record.evaluate((el) => { const s = getComputedStyle(el.shadowRoot!.querySelector('h2')!); return [s.direction, s.textAlign]; });
      expect(h2).toEqual(['ltr', 'right']); // still placed at the UI's start
    }

    await page.setViewportSize({ width: 390, height: 844 });
    await expect(table.getByRole('row').nth(2)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/lang-${lang}-390.png`, fullPage: true });
    if (lang === 'ar') {
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.locator('#theme').selectOption('dark');
      await page.screenshot({ path: `${SHOTS}/lang-ar-1440-dark.png`, fullPage: true });
    }
    expect(untranslated(await textsOf(page, 'contact-table, contact-record, contact-documents'), lang)).toEqual([]);
    await expectNoErrors(errors);
  });

  test(`${lang}: the share viewer in the viewer's language`, async ({ browser, request }) => {
    const link = (await (await request.get('/demo/share-link')).json()) as { path: string };
    const context = await browser.newContext({ locale: lang === 'ar' ? 'ar-AE' : lang === 'de' ? 'de-DE' : lang });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(link.path);
    const viewer = page.locator('share-viewer');
    await expect(viewer.getByRole('heading')).toBeVisible();
    await expect.poll(() => textsOf(page, 'share-viewer').then((t) => untranslated(t, lang)), { timeout: 15_000 }).toEqual([]);
    expect(await viewer.evaluate((el) => getComputedStyle(el).direction)).toBe(lang === 'ar' ? 'rtl' : 'ltr');
    await page.screenshot({ path: `${SHOTS}/share-${lang}-1440.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/share-${lang}-390.png`, fullPage: true });
    await expectNoErrors(errors);
    await context.close();
  });
}
