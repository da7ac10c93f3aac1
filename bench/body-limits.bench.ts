// Body-limits bench: oversized bodies posted at a running server (its own process), concurrently, with and without
// Content-Length, unauthenticated and authenticated; reports the server's peak RSS growth per attack (goal: under
// 64 MB whatever the client sends) and what the clients were answered.
// Run: npm run bench -- body   (or node --import tsx bench/body-limits.bench.ts; not run by CI)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { samplePdf } from '../server/src/seed/sample-pdf.js';

const MB = 1024 * 1024;
const GOAL_MB = 64;
const SCALE = Number(process.env.BENCH_BODY_SCALE ?? 1); // 0.25 for a quick run

const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

/** Sends `total` bytes (one shared zero buffer, nothing held) until the server answers or closes. */
function flood(url: string, total: number, headers: Record<string, string>, chunked: boolean) {
  return new Promise<{ status: number | string; sent: number }>((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, ...(chunked ? {} : { 'content-length': String(total) }) } });
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    let done = false;
    const finish = (status: number | string) => {
      if (done) return;
      done = true;
      req.destroy();
      resolve({ status, sent });
    };
    const pump = () => {
      while (!done && sent < total) {
        const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        const code = /"code":"([a-z_]+)"/.exec(text)?.[1];
        finish(code ? `${res.statusCode} ${code}` : (res.statusCode ?? 0));
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => finish(err.code ?? 'error'));
    pump();
  });
}

async function json(url: string, method: string, token: string, body?: unknown) {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return (await res.json()) as any;
}

async function main() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/documents-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, BENCH_DEFAULT_LIMITS: '1' } });
  process.on('exit', () => child.kill('SIGTERM'));
  // The server logs a line or two before it prints its address as JSON.
  const info = await new Promise<{ url: string; secretKey: string }>((resolve) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => line.startsWith('{') && (lines.close(), resolve(JSON.parse(line))));
  });
  const pid = child.pid!;
  try {
    const token = (await json(`${info.url}/api/v1/sessions`, 'POST', info.secretKey, { member: { externalId: 'bench', name: 'Bench', email: 'bench@example.com', role: 'owner' } })).token as string;
    const contact = await json(`${info.url}/api/v1/contacts`, 'POST', token, { firstName: 'Bench' });
    const uploaded = await fetch(`${info.url}/api/v1/contacts/${contact.id}/documents?name=bench.pdf`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: new Uint8Array(samplePdf(2)) });
    const doc = ((await uploaded.json()) as { items: { id: string }[] }).items[0]!;
    const slug = (await json(`${info.url}/api/v1/share-links`, 'POST', token, { documentId: doc.id, require: 'email' })).slug as string;
    // Warm up: the code paths of every route are loaded before the baseline is taken.
    for (let i = 0; i < 20; i++) {
      await json(`${info.url}/api/v1/contacts/query`, 'POST', token, { q: 'bench' });
      await fetch(`${info.url}/api/v1/public/share/${slug}`);
    }
    await new Promise((r) => setTimeout(r, 500));

    const auth = { authorization: `Bearer ${token}` };
    const jsonType = { 'content-type': 'application/json' };
    const size = (mb: number) => Math.round(mb * SCALE * MB);
    const attacks: [string, number, number, string, Record<string, string>, boolean][] = [
      ['public report, Content-Length', 8, size(400), `/api/v1/public/share/${slug}/report`, { 'content-type': 'text/plain' }, false],
      ['public send-code, chunked', 8, size(400), `/api/v1/public/share/${slug}/send-code`, jsonType, true],
      ['public verify, chunked', 8, size(400), `/api/v1/public/share/${slug}/verify`, jsonType, true],
      ['JSON /contacts/query, chunked (token)', 8, size(100), '/api/v1/contacts/query', { ...jsonType, ...auth }, true],
      ['JSON /contacts, Content-Length (token)', 8, size(100), '/api/v1/contacts', { ...jsonType, ...auth }, false],
      ['CSV import over its cap (token)', 4, size(150), '/api/v1/contacts/import?mapping=%7B%22a%22%3A%22firstName%22%7D', { 'content-type': 'text/csv', ...auth }, true],
      ['import without a token', 8, size(400), '/api/v1/contacts/import?mapping=%7B%22a%22%3A%22firstName%22%7D', { 'content-type': 'text/csv' }, false],
    ];
    console.log(`server pid ${pid}, baseline RSS ${(rssOf(pid) / MB).toFixed(1)} MB; goal: peak growth < ${GOAL_MB} MB per attack\n`);
    console.log('attack | clients × body | answers | sent by clients | time | peak RSS growth');
    console.log('---|---|---|---|---|---');
    let worst = 0;
    for (const [name, clients, total, path, headers, chunked] of attacks) {
      const start = rssOf(pid);
      let peak = start;
      const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
      const t0 = performance.now();
      const results = await Promise.all(Array.from({ length: clients }, () => flood(`${info.url}${path}`, total, headers, chunked)));
      await new Promise((r) => setTimeout(r, 700)); // the server's discard window after each answer
      clearInterval(timer);
      peak = Math.max(peak, rssOf(pid));
      const ms = performance.now() - t0;
      const answers = [...new Set(results.map((r) => String(r.status)))].join(', ');
      const sent = results.reduce((n, r) => n + r.sent, 0);
      const growth = (peak - start) / MB;
      worst = Math.max(worst, growth);
      console.log(`${name} | ${clients} × ${total / MB} MB | ${answers} | ${(sent / MB).toFixed(0)} MB | ${(ms / 1000).toFixed(1)} s | ${growth.toFixed(1)} MB`);
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    console.log(`\nworst peak growth ${worst.toFixed(1)} MB (${worst < GOAL_MB ? 'within' : 'OVER'} the ${GOAL_MB} MB goal); server high-water RSS ${hwm ? (Number(hwm[1]) / 1024).toFixed(1) : '?'} MB`);
    const health = await fetch(`${info.url}/healthz`);
    console.log(`server still answers: ${health.status}`);
  } finally {
    child.kill('SIGTERM');
  }
}

await main();
