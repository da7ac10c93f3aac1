import { createContext } from '@lit/context';
import type { DossierClient } from './client.js';

/** Provided by `<dossier-provider>`; every Dossier element consumes it. */
export const dossierContext = createContext<DossierClient | undefined>(Symbol('dossier-client'));

export type Theme = 'light' | 'dark' | 'auto';
/** The provider's theme, inherited by elements that set none themselves. */
export const themeContext = createContext<Theme>(Symbol('dossier-theme'));
