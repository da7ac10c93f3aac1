// The languages Dossier ships, each its own chunk: loaded the first time a provider's `lang` asks for one.
const shipped: Record<string, () => Promise<{ default: Record<string, string> }>> = {
  de: () => import('./de.js'),
  es: () => import('./es.js'),
  fr: () => import('./fr.js'),
  ar: () => import('./ar.js'),
};

/** A shipped language's messages; throws for a language Dossier has no catalogue of (it falls back to English). */
export async function catalogue(lang: string): Promise<Record<string, string>> {
  return (await shipped[lang]!()).default;
}
