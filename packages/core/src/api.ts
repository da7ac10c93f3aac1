import { hc, type ClientResponse } from 'hono/client';
// Through package.json "imports", so the published declarations can leave the server's route types out
// (scripts/packages/tsconfig.types.json maps it to a stub).
import type { AppType } from '#server-app';
import { t } from './i18n.js';

/** The typed RPC client for the Dossier API (types come from the server, no code does). */
export type DossierApi = ReturnType<typeof hc<AppType>>;

/** An API failure with the server's JSON problem fields. `status` 0 means the network failed. */
export class DossierApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DossierApiError';
  }

  /** The field path a rule error names (`emails[1].value`), when there is one. */
  get field(): string | undefined {
    const d = this.details as { field?: unknown } | undefined;
    return typeof d?.field === 'string' ? d.field : undefined;
  }

  /**
   * Every field the problem names with its message: a validation failure's list of issues, or the one field a rule
   * error names. Dialogs show each beside its input.
   */
  get fieldProblems(): { path: string; message: string }[] {
    if (Array.isArray(this.details)) return (this.details as { path?: string; message?: string }[]).flatMap((d) => (d.path ? [{ path: d.path, message: d.message ?? this.message }] : []));
    return this.field ? [{ path: this.field, message: this.message }] : [];
  }
}

/** Awaits an RPC call and returns its JSON body, or throws DossierApiError with the server's problem. */
export async function unwrap<T>(request: Promise<ClientResponse<T, number, 'json'>>): Promise<T> {
  let res: ClientResponse<T, number, 'json'>;
  try {
    res = await request;
  } catch (err) {
    if (err instanceof DossierApiError) throw err;
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new DossierApiError(0, 'network', 'Could not reach the Dossier server. Check your connection and try again.');
  }
  if (res.ok) return (await res.json()) as T;
  throw await problemOf(res as unknown as Response);
}

export async function problemOf(res: Response): Promise<DossierApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body?.error?.message) return new DossierApiError(res.status, body.error.code ?? 'error', body.error.message, body.error.details);
  } catch {
    // not a JSON problem
  }
  return new DossierApiError(res.status, 'http_error', `The server answered ${res.status}.`);
}

export interface ClientOptions {
  baseUrl: string;
  /** Returns a valid bearer token; `force` asks for a fresh one (after a 401). */
  token: (force?: boolean) => Promise<string>;
  fetch?: typeof fetch;
}

/** Builds the RPC client; every request carries the bearer token and is retried once with a fresh one on 401. */
export function createApi({ baseUrl, token, fetch: baseFetch = globalThis.fetch.bind(globalThis) }: ClientOptions): DossierApi {
  const base = baseUrl.replace(/\/$/, '');
  const authedFetch: typeof fetch = async (input, init) => {
    const send = async (force: boolean) => {
      const headers = new Headers(init?.headers);
      const bearer = await token(force).catch((err: Error) => {
        throw new DossierApiError(0, 'token_failed', t('error.tokenFailed', { reason: err.message }));
      });
      headers.set('authorization', `Bearer ${bearer}`);
      return baseFetch(input, { ...init, headers }).catch(async (err: unknown) => {
        // A refused origin fails like a lost connection (CORS hides the 403): when the server does answer an
        // opaque request, the origin was the problem.
        if (err instanceof TypeError && (await baseFetch(`${base}/healthz`, { mode: 'no-cors' }).then(() => 1, () => 0))) {
          throw new DossierApiError(0, 'origin_not_allowed', t('error.originNotAllowed', { origin: location.origin }));
        }
        throw err;
      });
    };
    const first = await send(false);
    return first.status === 401 ? send(true) : first;
  };
  return hc<AppType>(base, { fetch: authedFetch });
}
