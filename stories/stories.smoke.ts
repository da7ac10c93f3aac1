import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';

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

for (const story of stories) {
  test(`${story.title} › ${story.name} renders without errors`, async ({ page }) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      // Story states that show a server error log nothing; anything logged as an error is a bug.
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`/iframe.html?id=${story.id}&viewMode=story`);
    // Widgets render into shadow roots, so look for the rendered element rather than light-DOM text.
    await expect(page.locator('#storybook-root > *').first()).toBeAttached();
    // Give widgets a moment to load their (in-memory) data and render.
    await page.waitForTimeout(300);
    await expect(page.locator('.sb-errordisplay')).toBeHidden();
    expect(errors).toEqual([]);
  });
}
