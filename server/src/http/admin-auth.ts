import { createMiddleware } from 'hono/factory';
import type { AppDeps } from '../deps.js';
import { ADMIN_KEY_PREFIX, findAdminKey } from '../domain/admin-keys.js';
import { bearer, SECRET_KEY_PREFIX } from './auth.js';
import { ApiError, unauthorized } from './errors.js';
import { withMeta } from './route-meta.js';

export interface AdminEnv {
  Variables: {
    /** The operator key's id (`env` for DOSSIER_ADMIN_KEY): who the admin audit names. */
    adminKeyId: string;
  };
}

/** Accepts only an operator key. A workspace secret key is refused with 403: it is valid, but not for this. */
export function requireAdminKey(deps: AppDeps) {
  return withMeta(createMiddleware<AdminEnv>(async (c, next) => {
    const secret = bearer(c.req.header('authorization'));
    if (!secret) throw unauthorized('Send an operator key as "Authorization: Bearer dak_…" (DOSSIER_ADMIN_KEY or `dossier admin-key create`).');
    if (secret.startsWith(SECRET_KEY_PREFIX)) {
      throw new ApiError(403, 'admin_key_required', 'Workspace secret keys cannot call the admin API; use an operator key (dak_…).');
    }
    const keyId = secret.startsWith(ADMIN_KEY_PREFIX) || secret === deps.config?.adminKey ? await findAdminKey(deps.db, secret, deps.config?.adminKey, deps.clock.now()) : null;
    if (!keyId) throw unauthorized('Unknown or revoked operator key.');
    c.set('adminKeyId', keyId);
    await next();
  }), { security: ['adminKey'], errors: { 401: ['unauthorized'], 403: ['admin_key_required'] } });
}
