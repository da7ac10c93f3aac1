// The typed client for a host's backend: hono's RPC client over the server's AppType, with the workspace secret
// key. Only types come from the server (every import below from this repo is `import type`), so a backend can use
// it without loading the server: `import { dossierClient } from 'dossier/server/src/host-client.ts'`.
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from './app.js';

export type { AppType };
/** Every route of the API as typed methods: `api.api.v1.contacts.$post({ json })`, `…[':id'].$get({ param })`. */
export type DossierHostClient = ReturnType<typeof hc<AppType>>;

/** The server's `{ error: { code, message, details } }`, thrown by unwrap() for any answer that is not 2xx. */
export class DossierProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DossierProblem';
  }
}

/**
 * A client for `baseUrl` (e.g. `https://dossier.example.com`) that sends the workspace secret key (`dsk_…`) on every
 * request. Never use it in a browser: the secret key must stay on the backend. `fetch` defaults to the global one.
 */
export function dossierClient(baseUrl: string, secretKey: string, opts: { fetch?: typeof fetch } = {}): DossierHostClient {
  return hc<AppType>(baseUrl.replace(/\/$/, ''), { headers: { authorization: `Bearer ${secretKey}` }, fetch: opts.fetch });
}

/** Awaits a call and returns its JSON body typed as the route answers it; a refusal throws DossierProblem. */
export async function unwrap<T>(request: Promise<ClientResponse<T, number, string>>): Promise<T> {
  const res = await request;
  if (res.ok) return (await res.json()) as T;
  let problem: { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  try {
    problem = (await res.json()) as typeof problem;
  } catch {
    // not JSON (a proxy's error page): fall through
  }
  const e = problem?.error;
  throw new DossierProblem(res.status, e?.code ?? 'http_error', e?.message ?? `The server answered ${res.status}.`, e?.details);
}
