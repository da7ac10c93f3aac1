// The one localization module: every UI string goes through `t()`. Each widget registers its English
// messages next to its code; a second language is one more `addMessages('xx', {...})` file.
type Messages = Record<string, string>;

const catalogs = new Map<string, Messages>();
let locale = typeof navigator !== 'undefined' ? navigator.language : 'en';

export function addMessages(lang: string, messages: Messages): void {
  catalogs.set(lang, { ...catalogs.get(lang), ...messages });
}

/** Every message of a language (the catalogue test reads them all). */
export function messagesOf(lang: string): Readonly<Messages> {
  return catalogs.get(lang) ?? {};
}

/** Picks the UI language (falls back to the base language, then English, key by key). */
export function setLocale(lang: string): void {
  locale = lang;
}

export function getLocale(): string {
  return locale;
}

/** Looks a message up and fills `{name}` placeholders. Unknown keys render as the key, so gaps are visible. */
export function t(key: string, params?: Record<string, string | number>): string {
  const base = locale.split('-')[0]!;
  const text = catalogs.get(locale)?.[key] ?? catalogs.get(base)?.[key] ?? catalogs.get('en')?.[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/**
 * "1 contact" / "5 contacts": the message `key.<rule>` that Intl.PluralRules picks for `count` (`one`, `few`, `many`,
 * …; `key.other` when the language has no message for that rule), with `{count}` formatted for the locale.
 */
export function plural(key: string, count: number, params: Record<string, string | number> = {}): string {
  const rule = new Intl.PluralRules(locale).select(count);
  const chosen = catalogs.get('en')?.[`${key}.${rule}`] !== undefined || catalogs.get(locale)?.[`${key}.${rule}`] !== undefined ? `${key}.${rule}` : `${key}.other`;
  return t(chosen, { count: new Intl.NumberFormat(locale).format(count), ...params });
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
  'action.save': 'Save',
  'action.cancel': 'Cancel',
  'action.close': 'Close',
  'action.delete': 'Delete',
  'action.restore': 'Restore',
  'action.remove': 'Remove',
  'action.add': 'Add',
  'action.edit': 'Edit',
  'tags.label': 'Tags',
  'tags.add': 'Add tag',
  'tags.remove': 'Remove tag {tag}',
  'tags.placeholder': 'Add a tag…',
  'avatar.label': 'Avatar of {name}',
  'time.never': 'Never',
  'time.days.one': '{count} day',
  'time.days.other': '{count} days',
  'value.yes': 'Yes',
  'value.no': 'No',
});
