// The share bench's load generator (bench/share.bench.ts): viewers arriving at once, in a worker thread of their
// own. Each viewer reads the link, asks for a code, and verifies it (the code comes from the main thread, which
// holds the capturing transport); then one range read of the document per fresh viewer token.
import { parentPort, workerData } from 'node:worker_threads';

const { root, viewers, rounds } = workerData;
const lat = { info: [], 'send-code': [], verify: [], content: [] };
let failures = 0;
let firstError = '';
let asked = 0;
const waiting = new Map();
parentPort.on('message', (m) => {
  waiting.get(m.id)?.(m.code);
  waiting.delete(m.id);
});
const codeFor = (email) => new Promise((resolve) => {
  const id = ++asked;
  waiting.set(id, resolve);
  parentPort.postMessage({ id, code: email });
});

async function timed(name, run, record = true) {
  const t0 = performance.now();
  const res = await run();
  const body = await res.arrayBuffer();
  if (record) lat[name].push(performance.now() - t0);
  if (!res.ok) throw new Error(`${name}: ${res.status} ${Buffer.from(body).toString().slice(0, 200)}`);
  return body;
}

async function viewer(round, i, record) {
  const ip = `10.${round}.${Math.floor(i / 250)}.${i % 250}`;
  const email = `viewer.${round}.${i}@bench.example`;
  const headers = { 'content-type': 'application/json', 'x-forwarded-for': ip };
  await timed('info', () => fetch(root), record);
  await timed('send-code', () => fetch(`${root}/send-code`, { method: 'POST', headers, body: JSON.stringify({ channel: 'email', identifier: email }) }), record);
  const code = await codeFor(email);
  const body = await timed('verify', () => fetch(`${root}/verify`, { method: 'POST', headers, body: JSON.stringify({ channel: 'email', identifier: email, code }) }), record);
  return JSON.parse(Buffer.from(body).toString()).token;
}

const all = (n, run) => Promise.all(Array.from({ length: n }, (_, i) => run(i).catch((err) => {
  if (failures++ === 0) firstError = String(err);
})));

await all(20, (i) => viewer(100, i, false)); // warm-up, not counted
for (let round = 0; round < rounds; round++) await all(viewers, (i) => viewer(round, i, true));
// Content: fresh viewers pass the gate one after another, then all read their first range at once.
const tokens = [];
for (let i = 0; i < viewers; i++) tokens.push(await viewer(200, i, false).catch(() => null));
await all(viewers, async (i) => {
  if (!tokens[i]) throw new Error('no viewer token');
  await timed('content', () => fetch(`${root}/content`, { headers: { authorization: `Bearer ${tokens[i]}`, range: 'bytes=0-65535' } }));
});
parentPort.postMessage({ done: true, lat, failures, firstError });
