// Component tests only: the host backend's calls (secret key) to the real test server.

/** Calls the API as the host backend does, with the workspace secret key (the test backend hands it out). */
export async function host<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const { secretKey } = (await (await fetch('/test/secret')).json()) as { secretKey: string };
  const res = await fetch(`/api/v1${path}`, { method, headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
