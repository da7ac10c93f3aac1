import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--headless','--disable-gpu'] });
for (const [w, theme, wide] of [[1440, 'light', true], [390, 'dark', false]]) {
  const p = await b.newPage({ viewport: { width: w, height: 1000 }, colorScheme: theme });
  await p.goto('http://localhost:3291/');
  await p.locator('#theme').selectOption(theme);
  if (wide) await p.locator('#wide').check();
  const record = p.locator('contact-record');
  await record.getByRole('heading', { level: 2 }).waitFor();
  for (const tab of ['Conversations', 'Appointments']) {
    await record.getByRole('tab', { name: tab }).click();
    await p.waitForTimeout(2500);
    await (wide ? p : record).screenshot({ path: `/tmp/m-${w}-${tab}.png` });
  }
  await p.close();
}
await b.close();
