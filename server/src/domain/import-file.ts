// A CSV import's file, received whole before anything is written: spooled to a temp file (bounded, constant memory),
// its encoding found (UTF-8, UTF-16 with a BOM, else Windows-1252), and parsed once through so that a file that cannot
// be read to its end (a broken quote, a 2 MB line, a cut-off upload) imports nothing instead of half of itself.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse, type Options } from 'csv-parse';
import type { RequestBody } from '../http/body.js';
import { payloadTooLarge } from '../http/body-limit.js';
import { ApiError } from '../http/errors.js';
import { interrupted } from '../http/multipart.js';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Longest record (row) accepted, in bytes. */
export const MAX_RECORD_BYTES = 1_000_000;

/** The parser settings every pass uses, so the check and the import see the same rows. */
export const CSV_OPTIONS: Options = {
  columns: true,
  bom: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  relax_column_count: true,
  max_record_size: MAX_RECORD_BYTES,
};

export interface SpooledCsv {
  bytes: number;
  encoding: CsvEncoding;
  /** The file decoded to text, from the start. */
  text(): Readable;
  dispose(): Promise<void>;
}

/** Windows-1252 differs from Latin-1 only in 0x80–0x9F (Node's decoder treats them as Latin-1). */
const CP1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const fromCp1252 = (chunk: Buffer) => chunk.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]!);

function decoder(encoding: CsvEncoding): Transform {
  if (encoding === 'windows-1252') return new Transform({ transform: (chunk: Buffer, _e, done) => done(null, fromCp1252(chunk)) });
  const text = new TextDecoder(encoding);
  return new Transform({
    transform: (chunk: Buffer, _e, done) => done(null, text.decode(chunk, { stream: true })),
    flush: (done) => done(null, text.decode()),
  });
}

/**
 * Writes the request body to a temp file, at most `maxBytes` (413 past it, the rest unread), checking as it goes
 * whether it is valid UTF-8. An upload that breaks off answers 400 `upload_interrupted`; nothing is kept.
 */
export async function spoolCsv(body: RequestBody, maxBytes: number): Promise<SpooledCsv> {
  const dir = await mkdtemp(join(tmpdir(), 'dossier-import-'));
  const path = join(dir, 'upload.csv');
  const dispose = () => rm(dir, { recursive: true, force: true });
  const out = createWriteStream(path, { mode: 0o600 });
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let validUtf8 = true;
  let bytes = 0;
  try {
    try {
      for await (const chunk of body.stream.iterator({ destroyOnReturn: false })) {
        const buf = chunk as Buffer;
        bytes += buf.length;
        if (bytes > maxBytes) {
          body.stop();
          throw payloadTooLarge(maxBytes, 'The CSV file');
        }
        if (validUtf8) {
          try {
            utf8.decode(buf, { stream: true });
          } catch {
            validUtf8 = false;
          }
        }
        if (!out.write(buf)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw interrupted();
    }
    if (validUtf8) {
      try {
        utf8.decode(); // a sequence cut at the very end
      } catch {
        validUtf8 = false;
      }
    }
    out.end();
    await finished(out);
  } catch (err) {
    out.destroy();
    await dispose();
    throw err;
  }
  const head = Buffer.alloc(2);
  const fh = await open(path, 'r');
  await fh.read(head, 0, 2, 0).finally(() => fh.close());
  const encoding: CsvEncoding =
    head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : validUtf8 ? 'utf-8' : 'windows-1252';
  return { bytes, encoding, text: () => createReadStream(path, { highWaterMark: 256 * 1024 }).pipe(decoder(encoding)), dispose };
}

/**
 * Parses the whole file once; a file that cannot be read to its end answers 400 `invalid_csv` naming the line. Returns
 * the number of rows.
 */
export async function checkCsv(file: SpooledCsv): Promise<number> {
  let rows = 0;
  try {
    for await (const _record of file.text().pipe(parse(CSV_OPTIONS))) rows++;
  } catch (err) {
    // The parser's own counts: records it had parsed (some may not have reached us yet) and the line it was on.
    const { code, lines, records } = err as { code?: string; lines?: number; records?: number };
    if (typeof records === 'number') rows = records;
    const where = lines ? ` (line ${lines})` : '';
    const reason =
      code === 'CSV_MAX_RECORD_SIZE'
        ? `Row ${rows + 1}${where} is longer than ${MAX_RECORD_BYTES / 1_000_000} MB.`
        : code === 'CSV_QUOTE_NOT_CLOSED'
          ? `A quoted value that starts in row ${rows + 1}${where} is never closed.`
          : `Row ${rows + 1}${where} cannot be read: ${(err as Error).message}`;
    throw new ApiError(400, 'invalid_csv', `${reason} Nothing was imported; fix the file and import it again.`, { row: rows + 1, line: lines ?? null, reason: code ?? null });
  }
  return rows;
}
