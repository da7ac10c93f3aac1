// Test support for webhooks: a real HTTP receiver on a free port that records what it is sent and answers with the
// status a test chooses, and an endpoint registered through the API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Harness } from './testing.js';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; timestamp: string; workspaceId: string; data: any };
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The status to answer with for the n-th request (0-based) and its body; default 204. */
  answer: (req: Received, n: number) => number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], answer: () => 204, close: async () => undefined };
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const got: Received = { headers: req.headers, body, json: JSON.parse(body) };
      const status = receiver.answer(got, n++);
      if (status >= 200 && status < 300) receiver.received.push(got);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return receiver;
}

/** Registers an endpoint with the secret key; answers its id and signing secret. */
export async function addEndpoint(h: Harness, secretKey: string, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await h.call('POST', '/api/v1/webhook-endpoints', { token: secretKey, body: { eventTypes: ['*'], ...body } });
  if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
