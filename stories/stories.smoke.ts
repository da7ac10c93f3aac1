import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Entry {
  id: string;
  title: string;
  name: string;
  type: 'story' | 'docs';
}
const index = JSON.parse(readFileSync(new URL('../storybook-static/index.json', import.meta.url), 'utf8')) as { entries: Record<string, Entry> };
const stories = Object.values(index.entries).filter((e) => e.type === 'story');

test('the Storybook build has stories', () => {
  expect(stories.length).toBeGreaterThan(10);
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** WCAG 2.1 A and AA rules of axe-core over the story's canvas, shadow roots included. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run({ include: [['#storybook-root']] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.map((v: Violation) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

for (const story of stories) {
  for (const theme of ['light', 'dark'] as const) {
    test(`${story.title} › ${story.name} (${theme}) renders without errors and passes axe`, async ({ page }) => {
      const errors: string[] = [];
      page.on('console', (m) => {
        // Story states that show a server error log nothing; anything logged as an error is a bug.
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`/iframe.html?id=${story.id}&viewMode=story&globals=theme:${theme}`);
      // Widgets render into shadow roots, so look for the rendered element rather than light-DOM text.
      await expect(page.locator('#storybook-root > *').first()).toBeAttached();
      // Give widgets a moment to load their (in-memory) data and render.
      await page.waitForTimeout(300);
      await expect(page.locator('.sb-errordisplay')).toBeHidden();
      // A story whose element found no provider shows only that error (CSS locators see into shadow roots) — unless
      // that error is the state the story shows ("No Provider").
      if (!story.id.endsWith('--no-provider')) expect(await page.locator('dossier-state[message*="dossier-provider"]').count()).toBe(0);
      expect(errors).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
    });
  }
}
