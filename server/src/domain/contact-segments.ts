// The runs of a contact query's display order. A built-in sort is one segment over its (workspace, key, id)
// index; a custom-field sort is two: the contacts with a value (walking the field's value index), then those
// without (by id) — so empty values come last in both directions. Each segment is walked by keyset on (key, id).
import { sql, type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { CustomFieldRow, Database } from '../db/schema.js';

type Dir = 'asc' | 'desc';
export type SortKey = number | string;
export interface KeyedRow {
  id: string;
  sort_key: SortKey;
}

export interface Segment {
  /** Rows in `dir` order, strictly after `from` in that order if given; `offset` skips rows (position seeks). */
  rows(dir: Dir, opts: { from?: From; limit: number; offset?: number }): Promise<KeyedRow[]>;
  /**
   * The ordered query behind `rows` (no limit), selecting id, sort_key, then `extra` as c0, c1…: one statement
   * walks the sort index and reads each row once (export).
   */
  ordered(dir: Dir, from: From | undefined, extra: RawBuilder<unknown>[]): SelectQueryBuilder<any, any, KeyedRow>;
  /** How many rows (after `from` in `dir` order, if given). */
  count(dir: Dir, from?: From): Promise<number>;
}
type From = { v: SortKey; id: string };

type Base = () => SelectQueryBuilder<Database, 'contacts', {}>;

const flip = (dir: Dir) => sql.raw(dir);
/** (key, id) strictly after `from` in `dir` order: a row-value comparison both engines seek an index with. */
const after = (key: RawBuilder<unknown>, id: RawBuilder<unknown>, dir: Dir, from: From, bound = (v: unknown): unknown => v) =>
  sql<SqlBool>`(${key}, ${id}) ${sql.raw(dir === 'asc' ? '>' : '<')} (${bound(from.v)}, ${from.id})`;

/** Rows a seek walks between remembered rows (contact-paging.ts), and the runs an empty-value seek skips at once. */
export const seekStep = { rows: 20_000 };
/** Ids after `at` (and up to `end`, if given) in `dir` order. */
const idRange = (col: RawBuilder<unknown>, dir: Dir, at: string | undefined, end?: string) => {
  const [gt, lte] = dir === 'asc' ? ['>', '<='] : ['<', '>='];
  const parts = [...(at === undefined ? [] : [sql`${col} ${sql.raw(gt)} ${at}`]), ...(end === undefined ? [] : [sql`${col} ${sql.raw(lte)} ${end}`])];
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` AND `)})` : sql<SqlBool>`TRUE`;
};

type Extra = RawBuilder<unknown>[];
const withExtra = <Q extends SelectQueryBuilder<any, any, KeyedRow>>(query: Q, extra: Extra): Q =>
  (extra.length ? query.select(extra.map((expr, i) => expr.as(`c${i}`))) : query) as Q;

const run = (query: SelectQueryBuilder<any, any, KeyedRow>, limit: number, offset = 0) => query.limit(limit).offset(offset).execute();
const countOf = async (db: Db, query: SelectQueryBuilder<any, any, {}>) =>
  Number((await db.selectFrom(query.select(sql.lit(1).as('one')).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

export function builtinSegment(db: Db, base: Base, expr: RawBuilder<unknown>): Segment {
  const from = (dir: Dir, at?: From) => (at ? base().where(after(expr, sql`contacts.id`, dir, at)) : base());
  const ordered = (dir: Dir, at: From | undefined, extra: Extra = []) => {
    const query = withExtra(from(dir, at).select(['contacts.id', sql<SortKey>`${expr}`.as('sort_key')]), extra);
    return query.orderBy(sql`${expr} ${flip(dir)}`).orderBy(sql`contacts.id ${flip(dir)}`);
  };
  return {
    rows: (dir, opts) => run(ordered(dir, opts.from), opts.limit, opts.offset),
    ordered,
    count: (dir, at) => countOf(db, from(dir, at)),
  };
}

interface CustomSortCtx {
  base: Base;
  /** The compiled query's conditions on `contacts`. */
  conds: Expression<SqlBool>[];
  field: CustomFieldRow;
  /** A small search hit set: cheaper to drive from than the value index. */
  fewHits: boolean;
  /** Every live contact of the workspace (no search, filter or restriction, not the bin). */
  plain: boolean;
  workspaceId: string;
}

export function customSegments(db: Db, ctx: CustomSortCtx): Segment[] {
  const { base, conds, field } = ctx;
  const numeric = ['number', 'date', 'checkbox'].includes(field.type);
  const key = numeric ? sql`v.value_num` : sql`v.value_text`;
  // Text values sort without case: the engine says how its index (migration 005) orders and compares them.
  const caseless = numeric ? { order: key, compared: key, bound: (v: unknown) => v } : engineOf(db).text.caselessSort(key);
  const order = <Q extends SelectQueryBuilder<any, any, any>>(query: Q, dir: Dir) => query.orderBy(sql`${caseless.order} ${flip(dir)}`).orderBy(sql`v.contact_id ${flip(dir)}`) as Q;
  const seek = (dir: Dir, at: From) => after(caseless.compared, sql`v.contact_id`, dir, at, caseless.bound);
  const past = (dir: Dir, at?: From) => (at ? seek(dir, at) : sql<SqlBool>`TRUE`);
  const values = (dir: Dir, at?: From) => db.selectFrom('contact_field_values as v').where('v.field_id', '=', field.id).where(past(dir, at));
  // Walk the field's value index and check each contact (CROSS JOIN fixes that order on SQLite), unless a small
  // search hit set is the cheaper driver; then the planner picks the join order and sorts the hits.
  const valued = (dir: Dir, at?: From) => {
    const joined = ctx.fewHits ? values(dir, at).innerJoin('contacts', 'contacts.id', 'v.contact_id') : values(dir, at).crossJoin('contacts').whereRef('contacts.id', '=', 'v.contact_id');
    return conds.reduce((query, cond) => query.where(cond), joined);
  };
  // Values of contacts in the bin (or merged away): few, found from the contacts side.
  const gone = (dir: Dir, at?: From) =>
    db.selectFrom('contacts').innerJoin('contact_field_values as v', (join) => join.onRef('v.contact_id', '=', 'contacts.id').on('v.field_id', '=', field.id))
      .where('contacts.workspace_id', '=', ctx.workspaceId).where('contacts.deleted_at', 'is not', null).where(past(dir, at));
  const valuedOrdered = (dir: Dir, at: From | undefined, extra: Extra = []) =>
    order(withExtra(valued(dir, at).select(['contacts.id', sql<SortKey>`${key}`.as('sort_key')]), extra), dir);
  const valuedRows: Segment['rows'] = (dir, opts) => run(valuedOrdered(dir, opts.from), opts.limit, opts.offset);
  const empty = (dir: Dir, at?: From) => {
    // The id bound again inside: redundant for the result, but PostgreSQL then starts the values' side of its
    // anti-join at the bound too, instead of reading every value of the field from the first id.
    const seen = at ? sql` AND ${idRange(sql`v.contact_id`, dir, at.id)}` : sql``;
    const query = base().where(sql<SqlBool>`NOT EXISTS (SELECT 1 FROM contact_field_values v WHERE v.contact_id = contacts.id AND v.field_id = ${field.id}${seen})`);
    return at ? query.where(idRange(sql`contacts.id`, dir, at.id)) : query;
  };
  const emptyOrdered = (dir: Dir, at: From | undefined, extra: Extra = []) =>
    withExtra(empty(dir, at).select(['contacts.id', 'contacts.id as sort_key']), extra).orderBy(sql`contacts.id ${flip(dir)}`);
  const emptyRows: Segment['rows'] = (dir, opts) => run(emptyOrdered(dir, opts.from), opts.limit, opts.offset);
  /** The live contact `skip` places after `at` in id order (index only). */
  const liveIdAt = async (dir: Dir, at: string | undefined, skip: number) => {
    const query = db.selectFrom('contacts').select('contacts.id').where('contacts.workspace_id', '=', ctx.workspaceId).where('contacts.deleted_at', 'is', null);
    return (await (at ? query.where(idRange(sql`contacts.id`, dir, at)) : query).orderBy(sql`contacts.id ${flip(dir)}`).limit(1).offset(skip).executeTakeFirst())?.id;
  };
  /** Live contacts with a value among ids after `at` up to `end`: the (field_id, contact_id) index, minus the bin. */
  const valuedIn = async (dir: Dir, at: string | undefined, end: string) => {
    const range = idRange(sql`v.contact_id`, dir, at, end);
    return (await countOf(db, db.selectFrom('contact_field_values as v').where('v.field_id', '=', field.id).where(range))) - (await countOf(db, gone('asc').where(range)));
  };
  return [
    {
      async rows(dir, opts) {
        if (!ctx.plain || !opts.offset) return valuedRows(dir, opts);
        // Seek without a lookup per skipped row: skip along the value index alone, then step past as many live
        // rows as there were values of gone contacts up to there.
        const [raw] = await run(order(values(dir, opts.from).select(['v.contact_id as id', sql<SortKey>`${key}`.as('sort_key')]), dir), 1, opts.offset);
        if (!raw) return [];
        const at = { v: raw.sort_key, id: raw.id };
        const gonePassed = await countOf(db, gone(dir, opts.from).where(sql<SqlBool>`NOT ${seek(dir, at)}`));
        if (gonePassed) return valuedRows(dir, { from: at, limit: opts.limit, offset: gonePassed - 1 });
        return opts.limit > 1 ? [raw, ...(await valuedRows(dir, { from: at, limit: opts.limit - 1 }))] : [raw];
      },
      ordered: valuedOrdered,
      count: async (dir, at) => (ctx.plain ? (await countOf(db, values(dir, at))) - (await countOf(db, gone(dir, at))) : countOf(db, valued(dir, at))),
    },
    {
      async rows(dir, opts) {
        if (!ctx.plain || !opts.offset) return emptyRows(dir, opts);
        // Skip whole runs of live contacts, counting those with a value on the index; halve the run when the
        // target is inside it, so only the last few hundred contacts are tested one by one.
        let at = opts.from?.id;
        let skip = opts.offset;
        for (let run = seekStep.rows; run >= Math.max(1, seekStep.rows >> 6); ) {
          const end = await liveIdAt(dir, at, run - 1);
          const emptyIn = end ? run - (await valuedIn(dir, at, end)) : 0;
          if (!end || skip < emptyIn) {
            run >>= 1;
            continue;
          }
          skip -= emptyIn;
          at = end;
        }
        return emptyRows(dir, { from: at === undefined ? undefined : { v: at, id: at }, limit: opts.limit, offset: skip });
      },
      ordered: emptyOrdered,
      count: (dir, at) => countOf(db, empty(dir, at)),
    },
  ];
}
