import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { Associations } from '../domain/associations/associations.js';
import { AssociationTypes } from '../domain/associations/association-types.js';
import { targetKind } from '../domain/associations/kinds.js';
import { assertCan } from '../http/auth.js';
import type { Env } from '../http/env.js';
import { ApiError } from '../http/errors.js';
import { documents, responds } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { associationJson, associationTypeJson, id, linkCreate, targetJson, targetQuery, typeCreate, typePatch } from './association-schemas.js';

const idParam = z.object({ id });
const linkParam = z.object({ id, associationId: id });
const linkErrors = documents({ errors: { 409: ['contact_deleted', 'duplicate_association', 'association_limit'], 422: ['invalid_field', 'kind_unavailable'] } });

/** /api/v1/contacts/:id/associations — a contact's links (cards data), link, unlink. */
export function contactAssociationRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const links = new Associations(db, deps.events);
  return new Hono<Env>()
    .get('/:id/associations', responds(200, z.object({ items: z.array(associationJson) }).strict()), validate('param', idParam), async (c) => c.json({ items: await links.list(c.var.caller, c.req.valid('param').id) }))
    .post('/:id/associations', responds(201, associationJson, 'The link as this contact shows it.'), linkErrors, validate('param', idParam), validate('json', linkCreate), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      return c.json(await links.create(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()), 201);
    })
    .delete('/:id/associations/:associationId', responds(200, associationJson, 'The link removed (both records stay).'), linkErrors, validate('param', linkParam), async (c) => {
      assertCan(c.var.caller, 'contacts.edit');
      const { id: contactId, associationId } = c.req.valid('param');
      return c.json(await links.remove(c.var.caller, contactId, associationId, clock.now()));
    });
}

/** /api/v1/association-types — every caller reads them; the secret key, owners and managers (`objects.manage`) define them. */
export function associationTypeRoutes(deps: AppDeps) {
  const { db, clock } = deps;
  const types = new AssociationTypes(db);
  return new Hono<Env>()
    .get('/', responds(200, z.object({ items: z.array(associationTypeJson) }).strict()), async (c) => c.json({ items: await types.list(c.var.caller) }))
    .post('/', responds(201, associationTypeJson), documents({ errors: { 409: ['duplicate_type'], 422: ['invalid_field', 'kind_unavailable', 'builtin_kind'] } }), validate('json', typeCreate), async (c) => {
      assertCan(c.var.caller, 'objects.manage');
      return c.json(await types.create(c.var.caller, c.req.valid('json'), clock.now()), 201);
    })
    .patch('/:id', responds(200, associationTypeJson), documents({ errors: { 409: ['duplicate_type', 'builtin_type'], 422: ['invalid_field'] } }), validate('param', idParam), validate('json', typePatch), async (c) => {
      assertCan(c.var.caller, 'objects.manage');
      return c.json(await types.update(c.var.caller, c.req.valid('param').id, c.req.valid('json'), clock.now()));
    })
    .delete('/:id', responds(200, associationTypeJson, 'The type deleted.'), documents({ errors: { 409: ['type_in_use', 'builtin_type'] } }), validate('param', idParam), async (c) => {
      assertCan(c.var.caller, 'objects.manage');
      return c.json(await types.remove(c.var.caller, c.req.valid('param').id));
    });
}

/** /api/v1/association-targets?kind=&q= — Add existing's search: targets of one kind the caller may see, by name. */
export function associationTargetRoutes(deps: AppDeps) {
  return new Hono<Env>().get('/', responds(200, z.object({ items: z.array(targetJson) }).strict()), documents({ errors: { 422: ['kind_unavailable'] } }), validate('query', targetQuery), async (c) => {
    const o = c.req.valid('query');
    const kind = targetKind(o.kind);
    if (!kind) throw new ApiError(422, 'kind_unavailable', `Associations with ${o.kind} records are not available on this server.`, { field: 'kind' });
    return c.json({ items: await kind.search(deps.db, c.var.caller, o.q, o.limit, o.objectTypeId) });
  });
}
