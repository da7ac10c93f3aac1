import { chromium } from '@playwright/test';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--headless','--disable-gpu'] });
for (const [w, theme] of [[1440, 'light'], [390, 'dark']]) {
  const p = await b.newPage({ viewport: { width: w, height: 1000 }, colorScheme: theme });
  await p.goto('http://localhost:3290/'); 
  await p.locator('#theme').selectOption(theme);
  const record = p.locator('contact-record');
  await record.getByRole('heading', { level: 2 }).waitFor();
  for (const tab of ['Activity', 'Tasks', 'Notes', 'Documents']) {
    await record.getByRole('tab', { name: tab }).click();
    await p.waitForTimeout(1500);
    await record.screenshot({ path: `/tmp/shot-${w}-${tab}.png` });
  }
  await p.close();
}
await b.close();
