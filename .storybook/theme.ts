// The toolbar's Theme global: every story in light or dark without a story of its own for each. In dark, every
// themed element the story renders in the page (providers, share viewers, internal parts shown alone) is switched
// to `theme="dark"` (also ones added later by the story) and the canvas gets the dark page colour a host would have.
let observer: MutationObserver | null = null;

function darken(root: ParentNode) {
  for (const el of root.querySelectorAll('*')) {
    if (el.localName.includes('-') && 'theme' in el && el.getAttribute('theme') !== 'dark') el.setAttribute('theme', 'dark');
  }
}

export function applyStoryTheme(theme: unknown) {
  const dark = theme === 'dark';
  document.body.style.background = dark ? '#0f1014' : '';
  document.documentElement.style.colorScheme = dark ? 'dark' : '';
  observer?.disconnect();
  observer = null;
  if (!dark) return;
  observer = new MutationObserver(() => darken(document.body));
  observer.observe(document.body, { childList: true, subtree: true });
  queueMicrotask(() => darken(document.body));
}
