import type { FoundOperation } from './document.js';

/**
 * The error answers an operation can give, from what runs for it: its auth middleware's own (401, 403…), 400
 * `validation_failed` when it validates input, 400 `bad_request` and 413 `payload_too_large` for a JSON body, 404
 * `not_found` for a path with an id, 400 `bad_request` for a bad `cursor`, 409 `conflict` for a write racing another
 * (or a contact in the restore bin), and 500 `internal` for all. Codes a route's domain logic adds (e.g. 409
 * `contact_deleted`) are declared beside the route with fails(status, ...codes).
 */
export function describeErrorCodes(op: FoundOperation, validates: boolean, hasPathParams: boolean, hasJsonBody: boolean, takesCursor: boolean): Record<string, string[]> {
  const codes = new Map<number, Set<string>>();
  const add = (status: number, code: string) => (codes.get(status) ?? codes.set(status, new Set()).get(status)!).add(code);
  for (const meta of op.metas) for (const [status, list] of Object.entries(meta.errors ?? {})) for (const code of list) add(Number(status), code);
  if (validates) add(400, 'validation_failed');
  if (hasJsonBody) {
    add(400, 'bad_request');
    add(413, 'payload_too_large');
  }
  if (takesCursor) add(400, 'bad_request'); // a cursor that does not decode
  if (hasPathParams) add(404, 'not_found');
  if (op.method !== 'GET' && op.method !== 'HEAD') add(409, 'conflict');
  add(500, 'internal');
  return Object.fromEntries([...codes.entries()].sort(([a], [b]) => a - b).map(([status, set]) => [String(status), [...set]]));
}
