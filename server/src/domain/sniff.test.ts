import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as f from '../test-fixtures.js';
import { safeFileName, uniqueNamer } from './file-names.js';
import { settleName, sniffKind, SniffError, type RandomAccess } from './sniff.js';
import { TextCheck } from './text-check.js';

const mem = (buf: Buffer): RandomAccess => ({ size: buf.length, read: async (p, l) => buf.subarray(p, p + l) });
async function kindOf(buf: Buffer, chunk = 7) {
  const text = new TextCheck();
  for (let i = 0; i < buf.length; i += chunk) text.update(buf.subarray(i, i + chunk));
  return sniffKind(mem(buf), text.isText);
}
async function refusal(buf: Buffer): Promise<string> {
  try {
    await kindOf(buf);
  } catch (err) {
    if (err instanceof SniffError) return err.reason;
    throw err;
  }
  return 'accepted';
}

describe('type sniffing', () => {
  it('recognizes every accepted kind from content alone', async () => {
    assert.equal(await kindOf(f.pdf()), 'pdf');
    assert.equal(await kindOf(f.png()), 'png');
    assert.equal(await kindOf(f.jpg()), 'jpg');
    assert.equal(await kindOf(f.gif()), 'gif');
    assert.equal(await kindOf(f.webp()), 'webp');
    assert.equal(await kindOf(await f.docx()), 'docx');
    assert.equal(await kindOf(await f.xlsx()), 'xlsx');
    assert.equal(await kindOf(await f.pptx()), 'pptx');
    assert.equal(await kindOf(f.ole('WordDocument')), 'doc');
    assert.equal(await kindOf(f.ole('Workbook')), 'xls');
    assert.equal(await kindOf(f.ole('PowerPoint Document')), 'ppt');
    assert.equal(await kindOf(Buffer.from('name,city\nZoë,Zürich\n李,北京\n')), 'txt');
  });

  it('checks UTF-8 across chunk boundaries and refuses NUL bytes or invalid UTF-8 as text', async () => {
    const text = Buffer.from('€uro ✓ 😀 '.repeat(50));
    for (const chunk of [1, 2, 3, 5, 64]) assert.equal(await kindOf(text, chunk), 'txt', `chunk ${chunk}`);
    assert.equal(await refusal(Buffer.from('a,b\n1,\0\n')), 'unknown');
    assert.equal(await refusal(Buffer.from([0x61, 0x2c, 0xc3, 0x28, 0x0a])), 'unknown');
    assert.equal(await refusal(Buffer.from([0x61, 0xe2, 0x82])), 'unknown', 'truncated multi-byte character at the end');
  });

  it('refuses HTML renamed .pdf, SVG (even named .png), markup in text, and executables', async () => {
    assert.equal(await refusal(f.html()), 'markup');
    assert.equal(await refusal(f.svg()), 'markup');
    assert.equal(await refusal(Buffer.from('<svg onload="alert(1)"/>')), 'markup');
    assert.equal(await refusal(Buffer.from('  \n<html><body>hi</body></html>')), 'markup');
    assert.equal(await refusal(Buffer.from('a,b\n"<script>alert(1)</script>",2\n')), 'markup');
    assert.equal(await refusal(f.exe()), 'executable');
    assert.equal(await refusal(f.elf()), 'executable');
    assert.equal(await refusal(Buffer.from('#!/bin/sh\nrm -rf /\n')), 'executable');
  });

  it('refuses polyglots: PDF or image headers carrying HTML or a ZIP archive', async () => {
    assert.equal(await refusal(Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF')), 'markup');
    assert.equal(await refusal(Buffer.concat([f.png(), Buffer.from('<script>alert(1)</script>')])), 'markup');
    assert.equal(await refusal(await f.gifar()), 'polyglot');
    assert.equal(await refusal(Buffer.concat([f.pdf(), await f.zip({ 'a.txt': 'x' })])), 'polyglot');
  });

  it('refuses plain ZIPs, macro-enabled documents, unknown OLE files and empty files', async () => {
    assert.equal(await refusal(await f.zip({ 'a.txt': 'x' })), 'unknown');
    assert.equal(await refusal(await f.docm()), 'macros');
    assert.equal(await refusal(f.ole('SummaryInformation')), 'unknown');
    assert.equal(await refusal(Buffer.alloc(0)), 'empty');
    assert.equal(await refusal(Buffer.from([0x00, 0x01, 0x02, 0xff])), 'unknown');
  });
});

describe('declared names against sniffed kinds', () => {
  const reason = (name: string, kind: Parameters<typeof settleName>[1]) => {
    try {
      return settleName(name, kind);
    } catch (err) {
      return (err as SniffError).reason;
    }
  };
  it('keeps matching names, turns .csv text into CSV and appends a missing extension', () => {
    assert.deepEqual(settleName('Report.PDF', 'pdf'), { name: 'Report.PDF', kind: 'pdf' });
    assert.deepEqual(settleName('photo.jpeg', 'jpg'), { name: 'photo.jpeg', kind: 'jpg' });
    assert.deepEqual(settleName('leads.csv', 'txt'), { name: 'leads.csv', kind: 'csv' });
    assert.deepEqual(settleName('notes.txt', 'txt'), { name: 'notes.txt', kind: 'txt' });
    assert.deepEqual(settleName('scan', 'png'), { name: 'scan.png', kind: 'png' });
    assert.deepEqual(settleName('archive.2024', 'pdf'), { name: 'archive.2024.pdf', kind: 'pdf' });
  });
  it('refuses dangerous extensions and names that disagree with the content', () => {
    assert.equal(reason('invoice.pdf.exe', 'pdf'), 'dangerous_extension');
    assert.equal(reason('page.html', 'txt'), 'dangerous_extension');
    assert.equal(reason('logo.svg', 'png'), 'dangerous_extension');
    assert.equal(reason('macro.docm', 'docx'), 'dangerous_extension');
    assert.equal(reason('photo.png', 'pdf'), 'type_mismatch');
    assert.equal(reason('report.pdf', 'txt'), 'type_mismatch');
    assert.equal(reason('sheet.xls', 'doc'), 'type_mismatch');
  });
});

describe('safe file names', () => {
  it('strips path parts, NUL, control and bidi characters; keeps unicode', () => {
    assert.equal(safeFileName('../../etc/passwd.pdf'), 'passwd.pdf');
    assert.equal(safeFileName('..\\..\\windows\\system32\\x.docx'), 'x.docx');
    assert.equal(safeFileName('a\u0000b\u0007c\r\n.pdf'), 'abc.pdf');
    assert.equal(safeFileName('invoice\u202Efdp.exe'), 'invoicefdp.exe');
    assert.equal(safeFileName('Résumé – 履歴書 😀.pdf'), 'Résumé – 履歴書 😀.pdf');
    assert.equal(safeFileName('...hidden.txt'), 'hidden.txt');
    assert.equal(safeFileName('..'), '');
    assert.equal(safeFileName('a<b>c:"d|e?*.txt'), 'a_b_c__d_e__.txt');
  });
  it('limits length to 200 code points and keeps the extension', () => {
    const long = `${'ä'.repeat(500)}.docx`;
    const safe = safeFileName(long);
    assert.equal([...safe].length, 200);
    assert.ok(safe.endsWith('.docx'));
    const emoji = safeFileName(`${'😀'.repeat(300)}.pdf`);
    assert.equal([...emoji].length, 200);
    assert.ok(emoji.endsWith('😀.pdf'), 'no broken surrogate pairs');
  });
  it('makes ZIP entry names unique, case-insensitively', () => {
    const next = uniqueNamer();
    assert.deepEqual(['a.pdf', 'A.pdf', 'a.pdf', 'b', 'b'].map(next), ['a.pdf', 'A (2).pdf', 'a (3).pdf', 'b', 'b (2)']);
  });
});
