// An in-memory stand-in for the Dossier API, so stories render every state without a backend.
// (Tests never use this: they run against the real server.)
export type Reply = unknown | { status: number; body?: unknown } | typeof NEVER;
export const NEVER = Symbol('never answers');
type Handler = (params: Record<string, string>, body: unknown, url: URL) => Reply;

export const fail = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });

/** Builds a `fetch` for `<dossier-provider .fetch=…>` from `'METHOD /path/:param'` routes. */
export function storyFetch(routes: Record<string, Handler | object | symbol>): typeof fetch {
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const names: string[] = [];
    const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`);
    return { method, re, names, handler };
  });
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, location.href);
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    for (const route of table) {
      const m = route.method === method ? route.re.exec(url.pathname) : null;
      if (!m) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      const reply = typeof route.handler === 'function' ? (route.handler as Handler)(params, body, url) : route.handler;
      if (reply === NEVER) return new Promise<Response>(() => {});
      if (reply && typeof reply === 'object' && 'status' in reply && typeof (reply as { status: unknown }).status === 'number') {
        const r = reply as { status: number; body?: unknown };
        return Response.json(r.body ?? null, { status: r.status });
      }
      return Response.json(reply);
    }
    return Response.json({ error: { code: 'not_found', message: `No story route for ${method} ${url.pathname}` } }, { status: 404 });
  };
}
