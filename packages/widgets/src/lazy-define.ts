/**
 * Elements whose code is a lazy chunk of the script-tag bundle (the record's right-panel tabs) are loaded the first
 * time one appears in the page, so a host may also place them on their own. Elements inside other shadow roots are
 * not seen: import their `dist/elements/<name>.js` entry there.
 */
export function defineOnSight(loaders: Record<string, () => Promise<unknown>>): void {
  if (typeof document === 'undefined') return;
  const look = () => {
    for (const tag of Object.keys(loaders)) {
      if (document.querySelector(tag)) {
        void loaders[tag]!();
        delete loaders[tag];
      }
    }
    if (!Object.keys(loaders).length) observer.disconnect();
  };
  const observer = new MutationObserver(look);
  observer.observe(document, { childList: true, subtree: true });
  look();
}
