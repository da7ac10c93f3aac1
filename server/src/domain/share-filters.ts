// Share-link viewers in the contact table: filter fields (viewer type, share link, document, last accessed,
// access count) and sorts (lastAccessedAt, accessCount), registered through the compiler's extension points.
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import { dateOps, not, numberOps, registerFilterField, valueOf, type Cond } from './contact-filter-fields.js';
import { registerSort } from './contact-query.js';

const ids = z.array(z.string().min(1).max(64)).min(1).max(200);
const viewerType = z.enum(['email', 'whatsapp', 'any']);
const exists = (sub: ReturnType<typeof sql>): Cond => sql<SqlBool>`EXISTS (${sub})`;
// Views (link_views) rather than share_link_contacts: views carry their own ids, so a contact merge moves them to the
// survivor (and an unmerge moves them back) like activities.
const viewed = (extra: ReturnType<typeof sql> = sql`TRUE`) => exists(sql`SELECT 1 FROM link_views v WHERE v.contact_id = contacts.id AND ${extra}`);

let registered = false;
export function registerShareFilters() {
  if (registered) return;
  registered = true;
  /** `is` email | whatsapp | any: contacts who passed a gate with that kind of identifier. */
  registerFilterField('viewerType', {
    ops: {
      is: (v, c) => {
        const t = valueOf(viewerType, v, c, '"email", "whatsapp" or "any"');
        return t === 'any' ? viewed() : viewed(sql`v.channel = ${t}`);
      },
      is_not: (v, c) => {
        const t = valueOf(viewerType, v, c, '"email", "whatsapp" or "any"');
        return not(t === 'any' ? viewed() : viewed(sql`v.channel = ${t}`));
      },
    },
  });
  /** Viewed one of these share links (ids), or any / none. */
  registerFilterField('shareLink', {
    ops: {
      is_any: (v, c) => viewed(sql`v.link_id IN (${sql.join(valueOf(ids, v, c, 'a list of share link ids'))})`),
      is_none: (v, c) => not(viewed(sql`v.link_id IN (${sql.join(valueOf(ids, v, c, 'a list of share link ids'))})`)),
      is_not_empty: () => viewed(),
      is_empty: () => not(viewed()),
    },
  });
  /** Viewed one of these documents through any of their share links, or any document / none (as share links). */
  registerFilterField('document', {
    ops: {
      is_not_empty: () => viewed(),
      is_empty: () => not(viewed()),
      is_any: (v, c) => viewed(sql`v.link_id IN (SELECT l.id FROM share_links l WHERE l.document_id IN (${sql.join(valueOf(ids, v, c, 'a list of document ids'))}))`),
      is_none: (v, c) => not(viewed(sql`v.link_id IN (SELECT l.id FROM share_links l WHERE l.document_id IN (${sql.join(valueOf(ids, v, c, 'a list of document ids'))}))`)),
    },
  });
  registerFilterField('lastAccessedAt', { ops: dateOps(sql.ref('contacts.last_accessed_at')) });
  registerFilterField('accessCount', { ops: numberOps(sql.ref('contacts.access_count')) });
  // Plain / generated indexed columns (migration 004), so keyset pages seek.
  registerSort('lastAccessedAt', { expr: sql`contacts.last_accessed_sort`, kind: 'number' });
  registerSort('accessCount', { expr: sql`contacts.access_count`, kind: 'number' });
}
