// The profile picture as a user sets it: through the record header's dialog (the demo's e2e and the strict CSP one).
import { expect, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';

/** A photo-like PNG a user would pick: a face on a gradient, wider than tall. */
export const photo = () =>
  sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><defs><linearGradient id="g" x2="0" y2="1"><stop offset="0" stop-color="#8ec5fc"/><stop offset="1" stop-color="#e0c3fc"/></linearGradient></defs><rect width="640" height="480" fill="url(#g)"/><circle cx="320" cy="220" r="110" fill="#f1c7a5"/><ellipse cx="320" cy="520" rx="200" ry="150" fill="#2f3e66"/></svg>`)).png().toBuffer();

/**
 * Opens the picture dialog from the record's header, picks a picture, crops it with the keyboard and saves it;
 * answers the picture's URL as the header shows it.
 */
export async function uploadPicture(page: Page, record: Locator, name: string): Promise<string> {
  await record.getByRole('button', { name: `Change the profile picture of ${name}` }).click();
  const dialog = record.getByRole('dialog', { name: 'Profile picture' });
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose a picture…' }).click();
  await (await chooser).setFiles({ name: 'me.png', mimeType: 'image/png', buffer: await photo() });
  const area = dialog.getByRole('img', { name: 'Crop area' });
  await expect(area).toBeFocused();
  await area.press('+');
  await area.press('+');
  await area.press('ArrowUp');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  const img = record.locator('header img');
  await expect(img).toHaveAttribute('src', /\/api\/v1\/signed\/avatars\/.+\.webp\?sig=/);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(256);
  return (await img.getAttribute('src'))!;
}
