// Loaded lazily (only when a WhatsApp number is asked for): country list and E.164 normalization with
// libphonenumber-js's small metadata, kept out of the main bundle.
import { getLocale } from '../../../core/src/i18n.js';
import { loadChunk } from '../../../core/src/chunk.js';

export interface PhoneKit {
  countries: { code: string; name: string; dial: string }[];
  guessCountry(): string;
  toE164(raw: string, country: string): string | null;
  /** An E.164 number as people read it: national when it belongs to `country`, else international. */
  display(e164: string, country: string): string;
}

export async function phoneKit(): Promise<PhoneKit> {
  const lib = await loadChunk(() => import('libphonenumber-js/min'));
  const locale = getLocale();
  const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([locale, 'en'], { type: 'region' }) : null;
  const countries = lib
    .getCountries()
    .map((code) => ({ code, name: names?.of(code) ?? code, dial: lib.getCountryCallingCode(code) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
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
    display(e164, country) {
      const parsed = lib.parsePhoneNumberFromString(e164);
      return !parsed ? e164 : parsed.country === country ? parsed.formatNational() : parsed.formatInternational();
    },
  };
}
