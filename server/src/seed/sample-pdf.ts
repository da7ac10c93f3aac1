// A small, valid multi-page PDF written by hand (no dependency, no network): each page says "Page N of M" in
// large type with a few lines of text, so pdf.js renders something recognisable. Used by the demo seed, tests
// and the bench.
export function samplePdf(pages: number, title = 'Dossier sample'): Buffer {
  const objects: string[] = [];
  // 1: catalog, 2: pages, 3: font, then per page: page object + content stream.
  const kids: number[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < pages; i++) {
    const pageObj = 4 + i * 2;
    kids.push(pageObj);
    const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
    const lines = [
      `BT /F1 36 Tf 72 700 Td (${esc(`Page ${i + 1} of ${pages}`)}) Tj ET`,
      `BT /F1 16 Tf 72 650 Td (${esc(title)}) Tj ET`,
      ...Array.from({ length: 12 }, (_, k) => `BT /F1 11 Tf 72 ${600 - k * 18} Td (${esc(`Line ${k + 1}: the quick brown fox jumps over the lazy dog.`)}) Tj ET`),
    ].join('\n');
    bodies.push(lines);
  }
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${pages} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  bodies.forEach((content, i) => {
    const pageObj = 4 + i * 2;
    objects[pageObj] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageObj + 1} 0 R >>`;
    objects[pageObj + 1] = `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`;
  });
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = Buffer.byteLength(out, 'latin1');
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objects.length; n++) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
