import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { ShareLinks, shareLinkInput, shareLinkPatch } from '../domain/share-links.js';
import { assertCan } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';
import { fails, responds } from '../http/route-meta.js';
import { deletedJson } from '../openapi/schemas/common.js';
import { shareLinkJson, shareLinkList } from '../openapi/schemas/share.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const listQuery = z.object({ documentId: z.string().min(1).max(64).optional() }).strict();

export const publicOrigin = (deps: AppDeps) => (requestUrl: string) => (deps.config?.publicUrl ?? new URL(requestUrl).origin).replace(/\/$/, '');

/** /api/v1/share-links — staff manage a document's share links ('share_links.manage'); every write is audited. */
export function shareLinkRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const links = new ShareLinks(db, publicOrigin(deps));
  const one = async (row: Parameters<ShareLinks['toJson']>[0][number], url: string) => (await links.toJson([row], url, clock.now()))[0]!;
  return new Hono<Env>()
    .get('/', responds(200, shareLinkList), fails(404, 'not_found'), validate('query', listQuery), async (c) => {
      assertCan(c.var.caller, 'share_links.manage');
      const rows = await links.list(c.var.caller, c.req.valid('query').documentId);
      return c.json({ items: await links.toJson(rows, c.req.url, clock.now()) });
    })
    .post('/', responds(201, shareLinkJson, 'The link created.'), fails(404, 'not_found'), fails(422, 'invalid_field'), validate('json', shareLinkInput), async (c) => {
      assertCan(c.var.caller, 'share_links.manage');
      const row = await links.create(c.var.caller, c.req.valid('json'), clock.now());
      return c.json(await one(row, c.req.url), 201);
    })
    .get('/:id', responds(200, shareLinkJson), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'share_links.manage');
      return c.json(await one(await links.get(c.var.caller, c.req.valid('param').id), c.req.url));
    })
    .patch('/:id', responds(200, shareLinkJson, 'The link as it is now.'), fails(422, 'invalid_field'), validate('param', idParam), validate('json', shareLinkPatch), async (c) => {
      assertCan(c.var.caller, 'share_links.manage');
      const row = await links.update(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now());
      return c.json(await one(row, c.req.url));
    })
    .delete('/:id', responds(200, deletedJson, 'The link is gone; its page answers link_unavailable.'), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'share_links.manage');
      const row = await links.remove(c.var.caller, c.req.valid('param').id, clock.now());
      return c.json({ deleted: true, id: row.id });
    });
}
