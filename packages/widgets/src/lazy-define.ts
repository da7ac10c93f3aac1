import { loadChunk } from '../../core/src/chunk.js';
import { DossierErrorEvent } from '../../core/src/events.js';

/**
 * Elements whose code is a lazy chunk of the script-tag bundle (the record's right-panel tabs) are loaded the first
 * time one appears in the page, so a host may also place them on their own. Elements inside other shadow roots are
 * not seen: import their `dist/elements/<name>.js` entry there. When the code cannot load (`chunk_load`), each such
 * element shows the message as its text and sends `dossier-error`.
 */
export function defineOnSight(loaders: Record<string, () => Promise<unknown>>): void {
  if (typeof document === 'undefined') return;
  const look = () => {
    for (const tag of Object.keys(loaders)) {
      if (document.querySelector(tag)) {
        loadChunk(loaders[tag]!).catch((error: Error) =>
          document.querySelectorAll(tag).forEach((el) => {
            el.textContent = error.message;
            el.dispatchEvent(new DossierErrorEvent({ error, action: 'load-chunk' }));
          }),
        );
        delete loaders[tag];
      }
    }
    if (!Object.keys(loaders).length) observer.disconnect();
  };
  const observer = new MutationObserver(look);
  observer.observe(document, { childList: true, subtree: true });
  look();
}
