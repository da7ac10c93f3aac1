import { createContext } from '@lit/context';
import type { DossierClient } from './client.js';

declare const __DOSSIER_VERSION__: string | undefined;
/** This build's version (package.json's, set by the Vite build); exported by dist/dossier.js as `version`. */
export const VERSION = typeof __DOSSIER_VERSION__ === 'string' ? __DOSSIER_VERSION__ : 'dev';
/** What the contexts carry: bumped when that changes shape. Builds of one protocol find each other's provider. */
export const PROTOCOL = 1;

/** Notes a build on the page; a second version is worth one console warning (two bundles, or a stale cache). */
export function registerVersion(version: string) {
  const seen: Set<string> = ((globalThis as { [key: symbol]: Set<string> })[Symbol.for('dossier/versions')] ??= new Set());
  seen.add(version);
  if (seen.size === 2) console.warn(`Dossier ${[...seen]}: two versions on one page`);
}
registerVersion(VERSION);

/** Provided by `<dossier-provider>`; every Dossier element consumes it (from any build of the same protocol). */
export const dossierContext = createContext<DossierClient | undefined>(Symbol.for(`dossier/client@${PROTOCOL}`));

export type Theme = 'light' | 'dark' | 'auto';
/** The provider's theme, inherited by elements that set none themselves. */
export const themeContext = createContext<Theme>(Symbol.for(`dossier/theme@${PROTOCOL}`));
