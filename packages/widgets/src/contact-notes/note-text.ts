import { html } from 'lit';

// http(s) addresses only: anything else (javascript:, data:, mailto:) stays plain text.
const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
// Punctuation that ends a sentence is not part of the address before it.
const TRAILING = /[.,;:!?)\]]+$/;

/**
 * A note's text as parts: plain strings and links. Rendered through Lit's text and attribute bindings, never as
 * HTML, so whatever the note holds shows as typed; line breaks show through `white-space: pre-wrap`.
 */
export function noteParts(text: string): (string | { href: string })[] {
  const parts: (string | { href: string })[] = [];
  let at = 0;
  for (const m of text.matchAll(URL_RE)) {
    const href = m[0].replace(TRAILING, '');
    if (m.index > at) parts.push(text.slice(at, m.index));
    parts.push({ href });
    at = m.index + href.length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

export const renderNoteText = (text: string) =>
  noteParts(text).map((p) => (typeof p === 'string' ? p : html`<a href=${p.href} target="_blank" rel="noopener noreferrer">${p.href}</a>`));
