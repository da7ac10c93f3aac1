// The document kinds the server accepts, their media types and file extensions.
export const DOCUMENT_KINDS = ['pdf', 'doc', 'docx', 'ppt', 'pptx', 'xls', 'xlsx', 'csv', 'txt', 'png', 'jpg', 'gif', 'webp'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const MEDIA_TYPES: Record<DocumentKind, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

/** Extensions that name each kind; the first is the canonical one appended when a name has none. */
export const EXTENSIONS: Record<DocumentKind, string[]> = {
  pdf: ['pdf'],
  doc: ['doc', 'dot'],
  docx: ['docx'],
  ppt: ['ppt', 'pps', 'pot'],
  pptx: ['pptx'],
  xls: ['xls', 'xlt'],
  xlsx: ['xlsx'],
  csv: ['csv'],
  txt: ['txt', 'text', 'log', 'md'],
  png: ['png'],
  jpg: ['jpg', 'jpeg', 'jpe'],
  gif: ['gif'],
  webp: ['webp'],
};

/** Kinds a browser may render inline (under a sandboxing CSP); everything else is download-only. */
export const INLINE_KINDS: ReadonlySet<DocumentKind> = new Set(['pdf', 'png', 'jpg', 'gif', 'webp']);

/** Extensions that make an OS or browser execute or render active content: refused whatever the bytes are. */
export const DANGEROUS_EXTENSIONS: ReadonlySet<string> = new Set([
  'html', 'htm', 'xhtml', 'xht', 'shtml', 'mht', 'mhtml', 'svg', 'svgz', 'xml', 'xsl', 'xslt', 'js', 'mjs', 'cjs', 'jse',
  'vbs', 'vbe', 'wsf', 'wsh', 'hta', 'exe', 'com', 'bat', 'cmd', 'scr', 'pif', 'msi', 'msp', 'dll', 'cpl', 'jar',
  'ps1', 'psm1', 'sh', 'bash', 'zsh', 'app', 'dmg', 'pkg', 'deb', 'rpm', 'apk', 'lnk', 'reg', 'inf', 'php', 'phtml',
  'asp', 'aspx', 'jsp', 'py', 'pl', 'rb', 'swf', 'docm', 'xlsm', 'pptm', 'dotm', 'xltm', 'potm', 'ppsm', 'url', 'desktop',
]);

const byExtension = new Map<string, DocumentKind>();
for (const kind of DOCUMENT_KINDS) for (const ext of EXTENSIONS[kind]) byExtension.set(ext, kind);

export function kindOfExtension(ext: string): DocumentKind | undefined {
  return byExtension.get(ext.toLowerCase());
}

/** Kinds whose names are interchangeable: a .txt holding CSV text is fine, and the other way round. */
export function sameFamily(a: DocumentKind, b: DocumentKind): boolean {
  const text = (k: DocumentKind) => k === 'txt' || k === 'csv';
  return a === b || (text(a) && text(b));
}

export function isDocumentKind(value: string): value is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(value);
}
