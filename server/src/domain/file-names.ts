// Safe stored names for documents: no path parts, no control characters, bounded length, extension kept.
export const MAX_NAME_LENGTH = 200;

/** The extension of a name, lower-cased, without the dot ('' when none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Cleans a user-supplied file name for storage and display. Only the last path segment is kept (so `../../x`
 * becomes `x`), control characters (C0, DEL, C1), bidi overrides and NUL are removed, whitespace is collapsed,
 * leading dots are dropped (no hidden files), and the name is cut to MAX_NAME_LENGTH code points keeping the
 * extension. Unicode letters are kept. Returns '' when nothing usable is left.
 */
export function safeFileName(raw: string): string {
  const lastSegment = raw.split(/[\\/]/).pop() ?? '';
  let name = lastSegment
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  const chars = [...name];
  if (chars.length > MAX_NAME_LENGTH) {
    const ext = extensionOf(name);
    const keep = ext && ext.length <= 16 ? `.${ext}` : '';
    name = chars.slice(0, MAX_NAME_LENGTH - [...keep].length).join('').trimEnd() + keep;
  }
  return name;
}

/** Makes names unique within one ZIP: "a.pdf", "a (2).pdf", … (case-insensitive, as most unzip targets are). */
export function uniqueNamer() {
  const used = new Set<string>();
  return (name: string) => {
    const ext = extensionOf(name);
    const stem = ext ? name.slice(0, -(ext.length + 1)) : name;
    let candidate = name;
    for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = ext ? `${stem} (${n}).${ext}` : `${stem} (${n})`;
    used.add(candidate.toLowerCase());
    return candidate;
  };
}
