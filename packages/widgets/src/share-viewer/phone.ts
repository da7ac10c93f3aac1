// Loaded lazily (only when a WhatsApp number is asked for): country list and E.164 normalization with
// libphonenumber-js's small metadata, kept out of the main bundle.
import { loadChunk } from '../../../core/src/chunk.js';
export interface PhoneKit {
  countries: { code: string; name: string; dial: string }[];
  guessCountry(): string;
  toE164(raw: string, country: string): string | null;
}

export async function phoneKit(): Promise<PhoneKit> {
  const lib = await loadChunk(() => import('libphonenumber-js/min'));
  const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([navigator.language, 'en'], { type: 'region' }) : null;
  const countries = lib
    .getCountries()
    .map((code) => ({ code, name: names?.of(code) ?? code, dial: lib.getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    countries,
    guessCountry() {
      const region = /-([A-Z]{2})\b/.exec(navigator.language)?.[1];
      return region && lib.isSupportedCountry(region) ? region : 'US';
    },
    toE164(raw, country) {
      const parsed = lib.parsePhoneNumberFromString(raw.trim(), country as Parameters<typeof lib.parsePhoneNumberFromString>[1]);
      return parsed && parsed.isValid() ? parsed.number : null;
    },
  };
}
