/** What a host's token callback (or token URL) returns: a token string, or the sessions endpoint's JSON. */
export type TokenResult = string | { token: string; expiresAt?: number };
export type GetToken = () => Promise<TokenResult>;

/** Refresh this long before expiry, so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Holds the current widget token, fetches a new one from the host before it expires, and shares one
 * in-flight fetch between concurrent callers.
 */
export class TokenSource {
  private token: string | null = null;
  private expiresAt = 0;
  private inFlight: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly getToken: GetToken,
    private readonly onRefreshError?: (err: Error) => void,
  ) {}

  async get(force = false): Promise<string> {
    if (!force && this.token && Date.now() < this.expiresAt - REFRESH_MARGIN_MS / 2) return this.token;
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  dispose() {
    clearTimeout(this.timer);
  }

  private async fetch(): Promise<string> {
    const result = await this.getToken();
    const { token, expiresAt } = typeof result === 'string' ? { token: result, expiresAt: undefined } : result;
    if (!token) throw new Error('The host returned no token.');
    this.token = token;
    this.expiresAt = expiresAt ?? Date.now() + 5 * 60_000;
    clearTimeout(this.timer);
    const wait = Math.max(5_000, this.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    this.timer = setTimeout(() => {
      this.get(true).catch((err: Error) => this.onRefreshError?.(err));
    }, wait);
    return token;
  }
}

/** Token from a URL on the host's backend (POST, same-origin credentials), answering `{ token, expiresAt }`. */
export function tokenFromUrl(url: string, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)): GetToken {
  return async () => {
    const res = await fetchImpl(url, { method: 'POST', credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`token-url answered ${res.status}`);
    return (await res.json()) as TokenResult;
  };
}
