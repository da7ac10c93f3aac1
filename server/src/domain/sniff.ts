// Decides a document's kind from its bytes, never from its name or the client's Content-Type.
import { DANGEROUS_EXTENSIONS, EXTENSIONS, kindOfExtension, sameFamily, type DocumentKind } from './file-types.js';
import { extensionOf } from './file-names.js';

/** Random access to content that has been fully received (a temp file in the blob store). */
export interface RandomAccess {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
}

export type Refusal =
  | 'empty'
  | 'executable'
  | 'markup'
  | 'polyglot'
  | 'macros'
  | 'unknown'
  | 'dangerous_extension'
  | 'type_mismatch'
  | 'not_allowed';

export class SniffError extends Error {
  constructor(readonly reason: Refusal, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

const HEAD = 8192;
const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);

// Markup that a browser would run or render anywhere in the first bytes of any kind of file (HTML/SVG polyglots).
const ACTIVE_MARKUP = /<(script|html|svg|iframe|object|embed|body|head|frameset|meta\s+http-equiv|!doctype\s+html|\?xml-stylesheet)[\s>/]/i;
// What a browser's HTML/XML sniffer looks for at the very start of text (WHATWG MIME sniffing, abridged).
const MARKUP_START = /^(\ufeff)?\s*(<\?xml|<!--|<(!doctype|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|math|xsl)[\s>/])/i;

/** Sniffs the kind; `isText` is the streaming TextCheck's verdict over the whole content. */
export async function sniffKind(file: RandomAccess, isText: boolean): Promise<DocumentKind> {
  if (file.size === 0) throw new SniffError('empty', 'The file is empty.');
  const head = await file.read(0, Math.min(file.size, HEAD));
  const latin = head.toString('latin1');

  if (startsWith(head, [0x4d, 0x5a]) || startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || startsWith(head, [0xca, 0xfe, 0xba, 0xbe]) ||
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) || startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) || latin.startsWith('#!')) {
    throw new SniffError('executable', 'Executable files are not accepted.');
  }
  if (MARKUP_START.test(head.toString('utf8', 0, 1024)) || ACTIVE_MARKUP.test(latin)) {
    throw new SniffError('markup', 'HTML, SVG and XML content is not accepted (browsers could run scripts in it).');
  }

  let kind: DocumentKind | null = null;
  if (latin.startsWith('%PDF-')) kind = 'pdf';
  else if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) kind = 'png';
  else if (startsWith(head, [0xff, 0xd8, 0xff])) kind = 'jpg';
  else if (latin.startsWith('GIF87a') || latin.startsWith('GIF89a')) kind = 'gif';
  else if (latin.startsWith('RIFF') && latin.slice(8, 12) === 'WEBP') kind = 'webp';
  else if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) kind = await oleKind(file, head);
  else if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) kind = await ooxmlKind(file);
  else if (isText) kind = 'txt';
  if (!kind) throw new SniffError('unknown', 'This type of file is not accepted.');

  // Images and PDFs may be shown inline: refuse ones that also carry a ZIP archive (GIFAR-style polyglots).
  if (kind === 'pdf' || kind === 'png' || kind === 'jpg' || kind === 'gif' || kind === 'webp') {
    const tailStart = Math.max(0, file.size - 65_557);
    const tail = await file.read(tailStart, file.size - tailStart);
    if (tail.includes(EOCD)) {
      throw new SniffError('polyglot', 'The file is also a ZIP archive; such polyglot files are not accepted.', { detected: kind });
    }
  }
  return kind;
}

/** Reconciles the sniffed kind with the declared name: fixes harmless gaps, refuses dangerous disagreements. */
export function settleName(name: string, sniffed: DocumentKind): { name: string; kind: DocumentKind } {
  const ext = extensionOf(name);
  if (DANGEROUS_EXTENSIONS.has(ext)) {
    throw new SniffError('dangerous_extension', `Files named .${ext} are not accepted.`, { extension: ext });
  }
  const declared = ext ? kindOfExtension(ext) : undefined;
  let kind = sniffed;
  if (sniffed === 'txt' && declared === 'csv') kind = 'csv';
  if (declared && !sameFamily(declared, kind)) {
    throw new SniffError('type_mismatch', `The name says .${ext} but the content is ${kind.toUpperCase()}.`, { extension: ext, detected: kind });
  }
  if (!declared) name = `${name || 'document'}.${EXTENSIONS[kind][0]}`;
  return { name, kind };
}

const EOCD = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** ZIP containers: only Office Open XML documents, told apart by their top-level folders. */
async function ooxmlKind(file: RandomAccess): Promise<DocumentKind | null> {
  const names = await zipEntryNames(file);
  if (!names) return null;
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) {
    throw new SniffError('macros', 'Documents with macros are not accepted.');
  }
  if (!names.includes('[Content_Types].xml')) return null;
  if (names.some((n) => n.startsWith('word/'))) return 'docx';
  if (names.some((n) => n.startsWith('ppt/'))) return 'pptx';
  if (names.some((n) => n.startsWith('xl/'))) return 'xlsx';
  return null;
}

/** Entry names from a ZIP's central directory (no decompression); null when it is not a plain ZIP. */
async function zipEntryNames(file: RandomAccess): Promise<string[] | null> {
  const tailStart = Math.max(0, file.size - 65_557);
  const tail = await file.read(tailStart, file.size - tailStart);
  const at = tail.lastIndexOf(EOCD);
  if (at < 0 || at + 22 > tail.length) return null;
  const count = tail.readUInt16LE(at + 10);
  const cdSize = tail.readUInt32LE(at + 12);
  const cdOffset = tail.readUInt32LE(at + 16);
  if (cdOffset === 0xffffffff || cdSize > 8 * 1024 * 1024 || cdOffset + cdSize > file.size) return null;
  const cd = await file.read(cdOffset, cdSize);
  const names: string[] = [];
  for (let p = 0, i = 0; i < count && p + 46 <= cd.length; i++) {
    if (cd.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = cd.readUInt16LE(p + 28);
    names.push(cd.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  return names;
}

/** OLE2 compound files (legacy Office): the directory's stream names tell Word, Excel and PowerPoint apart. */
async function oleKind(file: RandomAccess, head: Buffer): Promise<DocumentKind | null> {
  if (head.length < 512) return null;
  const shift = head.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return null;
  const sectorSize = 1 << shift;
  const difat = Array.from({ length: 109 }, (_, i) => head.readUInt32LE(0x4c + i * 4));
  const nextSector = async (sector: number) => {
    const fatSector = difat[Math.floor(sector / (sectorSize / 4))];
    if (fatSector === undefined || fatSector >= 0xfffffffa) return 0xfffffffe;
    const entry = await file.read((fatSector + 1) * sectorSize + (sector % (sectorSize / 4)) * 4, 4);
    return entry.length === 4 ? entry.readUInt32LE(0) : 0xfffffffe;
  };
  const names = new Set<string>();
  let sector = head.readUInt32LE(0x30);
  for (let hops = 0; sector < 0xfffffffa && hops < 64; hops++) {
    const dir = await file.read((sector + 1) * sectorSize, sectorSize);
    for (let p = 0; p + 128 <= dir.length; p += 128) {
      const len = dir.readUInt16LE(p + 0x40);
      if (len >= 2 && len <= 64) names.add(dir.toString('utf16le', p, p + len - 2));
    }
    sector = await nextSector(sector);
  }
  if (names.has('WordDocument')) return 'doc';
  if (names.has('Workbook') || names.has('Book')) return 'xls';
  if (names.has('PowerPoint Document')) return 'ppt';
  return null;
}
