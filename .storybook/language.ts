// The toolbar's Language global: every story in each shipped language and direction without a story of its own
// for each. The page gets `<html lang dir>` as an Arabic (or right-to-left English) host page would have; providers
// the story renders default to that `lang`, and elements rendered without a provider follow setLocale().
import { setLocale } from '../packages/core/src/i18n.js';

export const LANGUAGES = [
  { value: 'en', title: 'English' },
  { value: 'de', title: 'Deutsch' },
  { value: 'es', title: 'Español' },
  { value: 'fr', title: 'Français' },
  { value: 'ar', title: 'العربية (RTL)' },
  { value: 'en:rtl', title: 'English, right-to-left page' },
];

export function applyStoryLanguage(choice: unknown) {
  const [lang = 'en', dir] = (typeof choice === 'string' ? choice : 'en').split(':');
  document.documentElement.lang = lang;
  document.documentElement.dir = dir === 'rtl' || lang === 'ar' ? 'rtl' : 'ltr';
  for (const provider of document.querySelectorAll('dossier-provider')) provider.setAttribute('lang', lang);
  void setLocale(lang);
}
