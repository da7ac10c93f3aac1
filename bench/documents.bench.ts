// Documents bench: 250 MB upload and download over loopback (throughput, server peak RSS) next to a plain file
// copy of the same file, then listing and searching a contact with 10,000 documents (p95).
// Run: node --import tsx bench/documents.bench.ts   (not run by CI)
import { spawn } from 'node:child_process';
import { randomBytes, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fsyncSync, openSync, readFileSync, rmSync, statSync, writeSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import Database from 'better-sqlite3';

const SIZE = Number(process.env.BENCH_MB ?? 250) * 1024 * 1024;
const DOCS = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MB = 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'dossier-bench-client-'));
const source = join(work, 'big.pdf');

function makeFile() {
  // A PDF header and random bytes: sniffs as PDF, compresses to nothing, no markup in the head.
  const fd = openSync(source, 'w');
  writeSync(fd, Buffer.from('%PDF-1.7\n'));
  const chunk = Buffer.alloc(MB);
  for (let written = 9; written < SIZE - 7; ) {
    const n = Math.min(chunk.length, SIZE - 7 - written);
    randomFillSync(chunk, 0, n);
    writeSync(fd, chunk, 0, n);
    written += n;
  }
  writeSync(fd, Buffer.from('\n%%EOF\n'));
  closeSync(fd);
}

async function plainCopy() {
  const target = join(work, 'copy.pdf');
  const t0 = performance.now();
  await pipeline(createReadStream(source, { highWaterMark: 256 * 1024 }), createWriteStream(target));
  const fd = openSync(target, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  const ms = performance.now() - t0;
  rmSync(target);
  return ms;
}

const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

/** Samples the server's RSS while `work` runs; returns its result, the time and the peak rise over the start. */
async function measured<T>(pid: number, run: () => Promise<T>) {
  const start = rssOf(pid);
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
  const t0 = performance.now();
  const result = await run();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, rssOf(pid));
  return { result, ms, start, peak, rise: peak - start };
}

function request(url: string, opts: http.RequestOptions, body?: (req: http.ClientRequest) => Promise<void>) {
  return new Promise<{ status: number; text: string; bytes: number }>((resolve, reject) => {
    const req = http.request(url, opts, (res) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (chunks.length < 64) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8', 0, Math.min(bytes, 4096)), bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) body(req).then(() => req.end(), reject);
    else req.end();
  });
}

const json = async (url: string, method: string, token: string, body?: unknown) => {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as any;
};

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;
const mbs = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
const fmt = (n: number, d = 1) => n.toFixed(d);

async function main() {
  console.log(`documents bench: ${SIZE / MB} MB file, ${DOCS} documents for the listing`);
  makeFile();
  // The machine is shared: every transfer runs RUNS times, interleaved with the copy, and medians are reported.
  const copies: number[] = [];

  const child = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), '--import', 'tsx', 'bench/documents-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ url: string; secretKey: string; workspaceId: string; dataDir: string }>((resolve) => {
    // The server logs a line or two before it prints its address as JSON.
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => line.startsWith('{') && (lines.close(), resolve(JSON.parse(line))));
  });
  const pid = child.pid!;
  try {
    const session = await json(`${info.url}/api/v1/sessions`, 'POST', info.secretKey, { member: { externalId: 'bench', name: 'Bench', email: 'bench@example.com', role: 'owner' } });
    const token = session.token as string;
    const contact = await json(`${info.url}/api/v1/contacts`, 'POST', token, { firstName: 'Big' });
    await new Promise((r) => setTimeout(r, 300));

    // Upload: multipart, streamed from disk.
    const boundary = `bench${randomBytes(8).toString('hex')}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const uploadOnce = () =>
      measured(pid, () =>
        request(`${info.url}/api/v1/contacts/${contact.id}/documents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + SIZE + tail.length) },
        }, async (req) => {
          req.write(head);
          await pipeline(createReadStream(source, { highWaterMark: 256 * 1024 }), req, { end: false });
          req.write(tail);
        }),
      );
    const rawOnce = () =>
      measured(pid, () =>
        request(`${info.url}/api/v1/contacts/${contact.id}/documents?name=big-raw.pdf`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-length': String(SIZE) },
        }, (req) => pipeline(createReadStream(source, { highWaterMark: 256 * 1024 }), req, { end: false })),
      );
    const ups: Awaited<ReturnType<typeof uploadOnce>>[] = [];
    const raws: typeof ups = [];
    const downs: Awaited<ReturnType<typeof measured<{ status: number; text: string; bytes: number }>>>[] = [];
    let doc: { id: string; sha256: string } | undefined;
    for (let run = 0; run < RUNS; run++) {
      copies.push(await plainCopy());
      const up = await uploadOnce();
      if (up.result.status !== 201) throw new Error(`upload failed: ${up.result.status} ${up.result.text}`);
      doc ??= JSON.parse(up.result.text).items[0];
      ups.push(up);
      const raw = await rawOnce();
      if (raw.result.status !== 201) throw new Error(`raw upload failed: ${raw.result.status} ${raw.result.text}`);
      raws.push(raw);
      const down = await measured(pid, () => request(`${info.url}/api/v1/documents/${doc!.id}/content`, { headers: { authorization: `Bearer ${token}` } }));
      if (down.result.status !== 200 || down.result.bytes !== SIZE) throw new Error(`download failed: ${down.result.status} ${down.result.bytes}`);
      downs.push(down);
    }
    if (!doc) throw new Error('no upload');

    // 10,000 documents on one contact, written straight into the server's database (WAL allows a second writer process).
    const many = await json(`${info.url}/api/v1/contacts`, 'POST', token, { firstName: 'Many' });
    const sqlite = new Database(join(info.dataDir, 'dossier.sqlite'));
    sqlite.pragma('busy_timeout = 5000');
    const insert = sqlite.prepare(`INSERT INTO documents (id, workspace_id, contact_id, section, origin, form_name, name, name_key, kind, media_type, size, sha256, blob_key, uploaded_by, share_on_portal, message_id, created_at, updated_at, deleted_at)
      VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 'pdf', 'application/pdf', ?, ?, ?, NULL, 0, NULL, ?, ?, NULL)`);
    const words = ['Invoice', 'Contract', 'Proposal', 'Receipt', 'Passport scan', 'Quote', 'Statement', 'Agreement', 'Photo', 'Report'];
    const sections = ['internal', 'sent', 'received'];
    const origins = ['upload', 'email', 'sms', 'whatsapp'];
    const base = Date.now() - DOCS * 60_000;
    sqlite.transaction(() => {
      for (let i = 0; i < DOCS; i++) {
        const name = `${words[i % words.length]} ${2020 + (i % 6)}-${String(i).padStart(5, '0')}.pdf`;
        insert.run(`doc_bench${i}`, info.workspaceId, many.id, sections[i % 3], origins[i % 4], name, name.toLowerCase(), 1000 + ((i * 7919) % 5_000_000), doc.sha256, doc.sha256, base + i * 60_000, base + i * 60_000);
      }
    })();
    sqlite.close();

    const queries: [string, string][] = [
      ['newest first', ''],
      ['by name', 'sort=name'],
      ['by size desc', 'sort=size&dir=desc'],
      ['section=sent', 'section=sent'],
      ['search "contract"', 'q=contract'],
      ['search "2023-0"', 'q=2023-0'],
      ['search, no match', 'q=zzz-nothing'],
    ];
    const listing: [string, number, number][] = [];
    for (let i = 0; i < 10; i++) await json(`${info.url}/api/v1/contacts/${many.id}/documents?limit=50`, 'GET', token); // warm-up
    for (const [label, q] of queries) {
      const times: number[] = [];
      for (let i = 0; i < 60; i++) {
        const t0 = performance.now();
        const page = await json(`${info.url}/api/v1/contacts/${many.id}/documents?limit=50&${q}`, 'GET', token);
        times.push(performance.now() - t0);
        if (!page.counts) throw new Error(`listing failed: ${JSON.stringify(page)}`);
      }
      listing.push([label, pct(times, 50), pct(times, 95)]);
    }
    // Deep keyset paging: 20 pages in.
    const deep: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const page: any = await json(`${info.url}/api/v1/contacts/${many.id}/documents?limit=50${cursor ? `&cursor=${cursor}` : ''}`, 'GET', token);
      deep.push(performance.now() - t0);
      cursor = page.nextCursor;
    }
    listing.push(['paging 20 pages (cursor)', pct(deep, 50), pct(deep, 95)]);

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const copyMs = median(copies);
    const copyRate = mbs(SIZE, copyMs);
    console.log(`\nmedian of ${RUNS} runs each (all runs, MB/s: copy ${copies.map((ms) => fmt(mbs(SIZE, ms), 0)).join(' ')})`);
    console.log('\n| transfer | time (s) | MB/s | % of plain copy | server RSS start → peak, first run (MB) | peak rise, any run (MB) |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    console.log(`| plain file copy (stream + fsync) | ${fmt(copyMs / 1000, 2)} | ${fmt(copyRate)} | 100 | – | – |`);
    for (const [label, runs] of [['upload (multipart, sniff, sha256, fsync)', ups], ['upload (raw body, same content: deduplicated)', raws], ['download (GET content)', downs]] as const) {
      const ms = median(runs.map((r) => r.ms));
      const rate = mbs(SIZE, ms);
      const first = runs[0]!;
      console.log(`| ${label} | ${fmt(ms / 1000, 2)} | ${fmt(rate)} | ${fmt((rate / copyRate) * 100, 0)} | ${fmt(first.start / MB, 0)} → ${fmt(first.peak / MB, 0)} | ${fmt(Math.max(...runs.map((r) => r.rise)) / MB)} |`);
      console.log(`|   runs, MB/s | ${runs.map((r) => fmt(mbs(SIZE, r.ms), 0)).join(' ')} | | | | |`);
    }
    console.log(`\n| listing a contact with ${DOCS} documents (limit 50, with counts) | p50 (ms) | p95 (ms) |`);
    console.log('| --- | --- | --- |');
    for (const [label, p50, p95] of listing) console.log(`| ${label} | ${fmt(p50, 2)} | ${fmt(p95, 2)} |`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(work, { recursive: true, force: true });
    rmSync(info.dataDir, { recursive: true, force: true });
  }
}

await main();
