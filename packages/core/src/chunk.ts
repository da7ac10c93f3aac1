import { DossierApiError } from './api.js';
import { t } from './i18n.js';

/**
 * Every lazy chunk loads through here. A failed load is tried once more (a network blip); then it fails as
 * `chunk_load` with a message that says what to do — after a redeploy removed an old build's chunks, a reload helps.
 * Callers show it in place and report it (`dossier-error`) as they do any failure.
 */
export const loadChunk = <M>(get: () => Promise<M>): Promise<M> =>
  get()
    .catch(get)
    .catch(() => {
      throw new DossierApiError(0, 'chunk_load', t('error.chunkLoad'));
    });
