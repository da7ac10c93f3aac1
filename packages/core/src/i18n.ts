// The one localization module: every UI string goes through `t()` / `plural()`, every Intl formatter takes
// `getLocale()`. Each widget registers its English messages next to its code; the other shipped languages are one
// catalogue each (./locales/<lang>.ts), loaded as a lazy chunk when the language is first used.
import type { ReactiveControllerHost } from 'lit';

type Messages = Record<string, string>;

const catalogs = new Map<string, Messages>();
let locale = 'en';
let asked = '';
/** Elements that re-render when the language changes (the provider's `lang`, a catalogue added later). */
const hosts = new Set<ReactiveControllerHost>();

/** Adds (or extends) a language's catalogue; a host adds a language of its own this way. */
export function addMessages(lang: string, messages: Messages): void {
  catalogs.set(lang, { ...catalogs.get(lang), ...messages });
  hosts.forEach((host) => host.requestUpdate());
}

/** Every message of a language (the catalogue test reads them all). */
export function messagesOf(lang: string): Readonly<Messages> {
  return catalogs.get(lang) ?? {};
}

/**
 * Picks the UI language (the provider's `lang`): `de-AT` reads the `de` catalogue (loading it on first use) with
 * Austrian formats; a language with no catalogue falls back to English text and English formats, never a mix.
 * Resolves with the locale in use; elements re-render.
 */
export async function setLocale(lang: string): Promise<string> {
  asked = lang;
  let base: string | undefined;
  try {
    base = new Intl.Locale(lang).language;
    // The shipped languages' table is a chunk of its own too: the script-tag bundle names no catalogue.
    if (!catalogs.has(base)) catalogs.set(base, await (await import('./locales/index.js')).catalogue(base));
  } catch {
    // No catalogue, or not a language tag at all: English.
  }
  if (asked === lang) locale = catalogs.has(base!) ? lang : 'en';
  hosts.forEach((host) => host.requestUpdate());
  return locale;
}

export function getLocale(): string {
  return locale;
}

/** Whether `el` lays out right-to-left (the provider's `dir` for Arabic, or the host page's own `dir`). */
export const isRtl = (el: Element) => getComputedStyle(el).direction === 'rtl';

/** A key as the reading direction means it: in right-to-left, ArrowLeft moves forward and ArrowRight back. */
export const logicalKey = (e: KeyboardEvent, el: Element): string =>
  (isRtl(el) && ({ ArrowLeft: 'ArrowRight', ArrowRight: 'ArrowLeft' } as Record<string, string>)[e.key]) || e.key;

/** Re-renders `host` when the language changes (every themed element does this; plain parts that show text too). */
export function localize(host: ReactiveControllerHost): void {
  host.addController({ hostConnected: () => hosts.add(host), hostDisconnected: () => hosts.delete(host) });
}

const find = (key: string) => catalogs.get(locale)?.[key] ?? catalogs.get(locale.split('-')[0]!)?.[key] ?? catalogs.get('en')?.[key];

/** Looks a message up and fills `{name}` placeholders. Unknown keys render as the key, so gaps are visible. */
export function t(key: string, params?: Record<string, string | number>): string {
  const text = find(key) ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/**
 * "1 contact" / "5 contacts": the message `key.<rule>` that Intl.PluralRules picks for `count` (`zero`, `one`, `two`,
 * `few`, `many`, …; `key.other` when the language has no message for that rule), with `{count}` formatted for the locale.
 */
export function plural(key: string, count: number, params: Record<string, string | number> = {}): string {
  const rule = `${key}.${new Intl.PluralRules(locale).select(count)}`;
  return t(find(rule) === undefined ? `${key}.other` : rule, { count: new Intl.NumberFormat(locale).format(count), ...params });
}

addMessages('en', {
  'state.loading': 'Loading…',
  'state.error': 'Something went wrong.',
  'state.retry': 'Try again',
  'state.forbidden': 'You don’t have access to this.',
  'state.notFound': 'Not found.',
  'error.tokenFailed': 'No token from the page: {reason}',
  'error.originNotAllowed': 'Origin {origin} is not allowed.',
  'error.chunkLoad': 'Could not load. Reload the page.',
  'state.noProvider': 'Place this element inside <dossier-provider> so it can reach the Dossier server.',
  'action.cancel': 'Cancel',
  'action.close': 'Close',
  'action.delete': 'Delete',
  'action.restore': 'Restore',
  'tags.label': 'Tags',
  'tags.remove': 'Remove tag {tag}',
  'tags.placeholder': 'Add a tag…',
  'time.never': 'Never',
  'time.days.one': '{count} day',
  'time.days.other': '{count} days',
  'value.yes': 'Yes',
  'value.no': 'No',
});

// Until a provider says otherwise: the host page's language (English when there is no catalogue for it).
if (typeof document !== 'undefined') void setLocale(document.documentElement.lang);
