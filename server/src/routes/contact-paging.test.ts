import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { countersOf, countLimits } from '../domain/contact-count.js';
import { setSeekStep } from '../domain/contact-paging.js';
import { harness, type Harness } from '../testing.js';

type Body = Record<string, unknown>;
const idsOf = (res: { body: { items: { id: string }[] } }) => res.body.items.map((c) => c.id);

describe('contact table paging: custom-field sorts, offset, before, prevCursor, counts', () => {
  let h: Harness;
  let token: string;
  let restricted: string;
  const byName: Record<string, string> = {};
  const query = async (body: Body) => {
    const res = await h.call('POST', '/api/v1/contacts/query', { token, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res;
  };
  /** Every matching id in order, walked by nextCursor in pages of `limit`. */
  const walkAll = async (body: Body, limit: number) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await query({ ...body, limit, cursor });
      seen.push(...idsOf(res));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return seen;
  };

  before(async () => {
    h = await harness();
    const ws = await h.workspace();
    ({ token } = await ws.token('owner'));
    restricted = (await ws.token('agent', { externalId: 'r', restrictToAssigned: true })).token;
    for (const [key, type] of [['plan', 'select'], ['score', 'number'], ['renewal', 'date'], ['paid', 'checkbox'], ['note', 'text']]) {
      await h.call('POST', '/api/v1/custom-fields', { token, body: { key, label: key, type, options: type === 'select' ? ['gold', 'Silver', 'bronze'] : undefined } });
    }
    const plans = ['gold', 'Silver', 'bronze'];
    for (let i = 0; i < 40; i++) {
      const customFields: Body = {};
      if (i % 4) customFields.plan = plans[i % 3];
      if (i % 5) customFields.score = i % 6; // many ties
      if (i % 2) customFields.renewal = `2026-0${1 + (i % 9)}-01`;
      if (i % 3) customFields.paid = i % 2 === 0;
      if (i % 7 === 0) customFields.note = i % 14 ? 'alpha' : 'ALPHA';
      const res = await h.call('POST', '/api/v1/contacts', { token, body: { firstName: `P${i}`, tags: i % 2 ? ['odd'] : [], customFields } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      byName[`P${i}`] = res.body.id;
      if (i % 3) h.clock.advance(1); // equal created_at for some: ties broken by id
    }
    // Contacts in the bin keep their values; no page may show them (offsets skip along the value index).
    for (let i = 0; i < 6; i++) {
      const gone = await h.call('POST', '/api/v1/contacts', { token, body: { firstName: `Gone${i}`, customFields: { plan: plans[i % 3], score: i % 6, note: 'alpha' } } });
      await h.call('DELETE', `/api/v1/contacts/${gone.body.id}`, { token });
    }
  });
  after(() => h.close());

  it('custom-field sorts: values in order (text case-insensitive), ties by id, empty values last both ways', async () => {
    const rows = await h.opened.db
      .selectFrom('contacts as c')
      .innerJoin('contact_field_values as v', 'v.contact_id', 'c.id')
      .innerJoin('custom_fields as f', 'f.id', 'v.field_id')
      .select(['c.id', 'f.key', 'v.value_text as t', 'v.value_num as n'])
      .where('c.deleted_at', 'is', null)
      .execute();
    const all = Object.values(byName);
    for (const [field, numeric] of [['plan', false], ['score', true], ['renewal', true], ['paid', true], ['note', false]] as const) {
      const value = new Map(rows.filter((r) => r.key === field).map((r) => [r.id, numeric ? r.n! : r.t!.toLowerCase()]));
      const cmp = (a: string, b: string) => {
        const [x, y] = [value.get(a)!, value.get(b)!];
        return x < y ? -1 : x > y ? 1 : a < b ? -1 : 1;
      };
      const withValue = all.filter((id) => value.has(id));
      const empty = all.filter((id) => !value.has(id)).sort();
      const asc = [...withValue.sort(cmp), ...empty];
      const desc = [...withValue.reverse(), ...empty.reverse()];
      assert.deepEqual(await walkAll({ sort: { field: `custom.${field}`, dir: 'asc' } }, 200), asc, `${field} asc`);
      assert.deepEqual(await walkAll({ sort: { field: `custom.${field}`, dir: 'desc' } }, 200), desc, `${field} desc`);
      // Pages of 3 cross from the value phase into the empty phase without gaps or repeats.
      assert.deepEqual(await walkAll({ sort: { field: `custom.${field}`, dir: 'asc' } }, 3), asc, `${field} asc by 3`);
      assert.deepEqual(await walkAll({ sort: { field: `custom.${field}`, dir: 'desc' } }, 3), desc, `${field} desc by 3`);
    }
  });

  it('custom-field sorts with a filter or a search keep the same order over the matching subset', async () => {
    const sort = { field: 'custom.score', dir: 'desc' };
    const full = await walkAll({ sort }, 200);
    const odd = new Set(await walkAll({ filter: { field: 'tags', op: 'has_any', value: ['odd'] } }, 200));
    assert.deepEqual(await walkAll({ sort, filter: { field: 'tags', op: 'has_any', value: ['odd'] } }, 4), full.filter((id) => odd.has(id)));
    const found = new Set(await walkAll({ q: 'p1' }, 200)); // P1, P10…P19
    assert.equal(found.size, 11);
    assert.deepEqual(await walkAll({ sort, q: 'p1' }, 4), full.filter((id) => found.has(id)));
  });

  const SORTS = [
    { field: 'createdAt', dir: 'desc' }, { field: 'name', dir: 'asc' }, { field: 'custom.score', dir: 'asc' },
    { field: 'custom.plan', dir: 'desc' }, { field: 'custom.note', dir: 'asc' }, { field: 'lastInteractionAt', dir: 'desc' },
  ];

  it('offset: the page starting at that row, continuing by nextCursor; past the end an empty page', async () => {
    for (const sort of SORTS) {
      const full = await walkAll({ sort }, 200);
      for (const offset of [0, 1, 7, 24, 29, 35, 39]) {
        const res = await query({ sort, offset, limit: 5, count: true });
        assert.deepEqual(idsOf(res), full.slice(offset, offset + 5), `${sort.field} at ${offset}`);
        assert.equal(res.body.count, 40);
        assert.equal(res.body.nextCursor === null, offset + 5 >= 40);
        if (res.body.nextCursor) assert.deepEqual(idsOf(await query({ sort, cursor: res.body.nextCursor, limit: 5 })), full.slice(offset + 5, offset + 10));
      }
      const past = await query({ sort, offset: 40 });
      assert.deepEqual([past.body.items, past.body.nextCursor, past.body.prevCursor], [[], null, null]);
    }
    // Seeks remember every Nth row; later seeks start from the nearest one, across the custom sorts' two phases.
    setSeekStep(6);
    try {
      for (const sort of SORTS) {
        const full = await walkAll({ sort }, 200);
        for (const offset of [29, 5, 6, 7, 13, 36, 12, 35, 40, 0, 18]) {
          assert.deepEqual(idsOf(await query({ sort, offset, limit: 3 })), full.slice(offset, offset + 3), `${sort.field} marks at ${offset}`);
        }
        const gone = await query({ sort, offset: 30, limit: 1 }); // a write drops the marks
        await h.call('PATCH', `/api/v1/contacts/${idsOf(gone)[0]}`, { token, body: { lastName: 'Moved' } });
        const moved = await walkAll({ sort }, 200);
        assert.deepEqual(idsOf(await query({ sort, offset: 31, limit: 3 })), moved.slice(31, 34));
      }
    } finally {
      setSeekStep();
    }
    const filtered = { filter: { field: 'tags', op: 'has_any', value: ['odd'] }, sort: SORTS[2] };
    assert.deepEqual(idsOf(await query({ ...filtered, offset: 12, limit: 3 })), (await walkAll(filtered, 200)).slice(12, 15));
  });

  it('before + prevCursor: the rows just before a page, in display order, back to the start', async () => {
    for (const sort of SORTS) {
      const full = await walkAll({ sort }, 200);
      const at = await query({ sort, offset: 33, limit: 5 });
      assert.ok(at.body.prevCursor);
      const back: string[] = [];
      let prev: string | null = at.body.prevCursor;
      while (prev) {
        const res = await query({ sort, before: prev, limit: 4 });
        assert.equal(res.body.count, null); // continuing pages are not counted unless asked
        const start = 33 - back.length; // the row `prev` points at
        assert.deepEqual(idsOf(res), full.slice(Math.max(0, start - 4), start), `${sort.field} ${sort.dir} before row ${start}`);
        // Its nextCursor continues forward from its last row: to the row the walk came from.
        if (res.body.items.length) assert.deepEqual(idsOf(await query({ sort, cursor: res.body.nextCursor, limit: 1 })), [full[start]]);
        back.unshift(...idsOf(res));
        prev = res.body.prevCursor;
      }
      assert.deepEqual(back, full.slice(0, 33), `${sort.field} ${sort.dir}`);
      const first = await query({ sort, limit: 5 });
      assert.deepEqual((await query({ sort, before: first.body.prevCursor })).body.items, []);
    }
  });

  it('ids: true answers the same rows as ids only, up to 1,000 a page (200 without)', async () => {
    for (const sort of SORTS) {
      const full = await walkAll({ sort }, 200);
      const at = await query({ sort, offset: 7, limit: 10, ids: true });
      assert.deepEqual([at.body.ids, at.body.items], [full.slice(7, 17), undefined]);
      const rest = await query({ sort, cursor: at.body.nextCursor, limit: 1000, ids: true });
      assert.deepEqual([rest.body.ids, rest.body.nextCursor], [full.slice(17), null]);
    }
    const tooMany = await h.call('POST', '/api/v1/contacts/query', { token, body: { limit: 201 } });
    assert.equal(tooMany.status, 400);
    assert.ok(tooMany.body.error.details.some((d: { path: string }) => d.path === 'limit'), JSON.stringify(tooMany.body));
    assert.equal((await h.call('POST', '/api/v1/contacts/query', { token, body: { limit: 1001, ids: true } })).status, 400);
  });

  it('a member restricted to assigned contacts only ever sees their own, whatever the sort or seek', async () => {
    const mine = await h.call('POST', '/api/v1/contacts', { token: restricted, body: { firstName: 'Mine', customFields: { score: 3 } } });
    for (const body of [{ sort: { field: 'custom.score', dir: 'asc' } }, { sort: { field: 'custom.score', dir: 'desc' }, offset: 0 }, { sort: { field: 'name', dir: 'asc' }, offset: 0 }]) {
      const res = await h.call('POST', '/api/v1/contacts/query', { token: restricted, body });
      assert.deepEqual([idsOf(res), res.body.count], [[mine.body.id], 1]);
      assert.deepEqual((await h.call('POST', '/api/v1/contacts/query', { token: restricted, body: { ...body, offset: 1 } })).body.items, []);
    }
    assert.deepEqual((await h.call('POST', '/api/v1/contacts/count', { token: restricted, body: {} })).body, { count: 1, estimated: false });
    await h.opened.db.deleteFrom('contacts').where('id', '=', mine.body.id).execute(); // the other tests count 40
  });

  it('validates offset, before and cursor together', async () => {
    const first = await query({ limit: 2 });
    const cases: [Body, string][] = [
      [{ offset: -1 }, 'offset'], [{ offset: 1.5 }, 'offset'], [{ offset: 10_000_001 }, 'offset'], [{ offset: '3' }, 'offset'],
      [{ offset: 3, cursor: first.body.nextCursor }, 'offset'], [{ before: first.body.prevCursor, offset: 2 }, 'before'],
    ];
    for (const [body, path] of cases) {
      const res = await h.call('POST', '/api/v1/contacts/query', { token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'validation_failed');
      assert.ok(res.body.error.details.some((d: { path: string }) => d.path === path), JSON.stringify(res.body));
    }
    for (const [body, field] of [[{ before: 'garbage' }, 'before'], [{ sort: { field: 'name' }, before: first.body.prevCursor }, 'before'], [{ sort: { field: 'custom.score' }, cursor: first.body.nextCursor }, 'cursor']] as const) {
      const res = await h.call('POST', '/api/v1/contacts/query', { token, body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.deepEqual([res.body.error.code, res.body.error.details.field], ['bad_request', field]);
    }
    // A custom sort's cursor in the "no value" phase is not accepted by another sort either.
    const tail = await query({ sort: { field: 'custom.note', dir: 'asc' }, offset: 30, limit: 2 });
    const wrong = await h.call('POST', '/api/v1/contacts/query', { token, body: { sort: { field: 'custom.score', dir: 'asc' }, cursor: tail.body.nextCursor } });
    assert.equal(wrong.status, 400);
  });

  it('a forged cursor with a key the database cannot compare is a 400, on every engine (not a query error)', async () => {
    const forged = (v: unknown, id = 'ct_x', sort = { field: 'createdAt', dir: 'desc' }) => Buffer.from(JSON.stringify({ s: sort.field, d: sort.dir, v, id })).toString('base64url');
    for (const cursor of [forged(1.5), forged(1e20), forged(Number.MAX_SAFE_INTEGER + 2), forged(1, 'ct_\u0000'), forged(1, 'ct_\ud800'), forged('a\u0000', 'ct_x', { field: 'name', dir: 'asc' })]) {
      const res = await h.call('POST', '/api/v1/contacts/query', { token, body: { sort: cursor.length && JSON.parse(Buffer.from(cursor, 'base64url').toString()).s === 'name' ? { field: 'name', dir: 'asc' } : { field: 'createdAt', dir: 'desc' }, cursor } });
      assert.equal(res.status, 400, Buffer.from(cursor, 'base64url').toString());
      assert.equal(res.body.error.code, 'bad_request');
    }
    // A custom number field's value may be fractional: its own cursors keep working.
    const pages = await walkAll({ sort: { field: 'custom.score', dir: 'asc' } }, 3);
    assert.equal(pages.length, 40);
    const fractional = await h.call('POST', '/api/v1/contacts/query', { token, body: { sort: { field: 'custom.score', dir: 'asc' }, cursor: forged(2.5, 'ct_x', { field: 'custom.score', dir: 'asc' }) } });
    assert.equal(fractional.status, 200, JSON.stringify(fractional.body));
    // Other lists' cursors too: a NUL in a note list's cursor.
    const note = await h.call('GET', `/api/v1/contacts/${byName.P1}/notes?cursor=${Buffer.from(JSON.stringify({ at: 1, id: 'n\u0000' })).toString('base64url')}`, { token });
    assert.equal(note.status, 400, JSON.stringify(note.body));
  });

  it('POST /contacts/count answers { count, estimated }, fresh after any contact change', async () => {
    const count = async (body: Body) => {
      const res = await h.call('POST', '/api/v1/contacts/count', { token, body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const odd = { filter: { field: 'tags', op: 'has_any', value: ['odd'] } };
    assert.deepEqual(await count({}), { count: 40, estimated: false });
    assert.deepEqual(await count(odd), { count: 20, estimated: false });
    assert.deepEqual(await count({ ...odd, count: 'exact' }), { count: 20, estimated: false });
    const made = await h.call('POST', '/api/v1/contacts', { token, body: { firstName: 'New', tags: ['odd'] } });
    assert.deepEqual(await count(odd), { count: 21, estimated: false });
    assert.deepEqual(await count({}), { count: 41, estimated: false });
    await h.call('PATCH', `/api/v1/contacts/${made.body.id}`, { token, body: { tags: [] } });
    assert.deepEqual(await count(odd), { count: 20, estimated: false });
    await h.call('DELETE', `/api/v1/contacts/${made.body.id}`, { token });
    assert.deepEqual(await count({ deleted: true }), { count: 7, estimated: false });
    assert.deepEqual(await count({}), { count: 40, estimated: false });
    await h.call('POST', `/api/v1/contacts/${made.body.id}/restore`, { token });
    assert.deepEqual(await count({}), { count: 41, estimated: false });
    // The live total is kept by triggers; it agrees with counting.
    const real = await h.opened.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    const { id } = await h.opened.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    assert.deepEqual([(await countersOf(h.opened.db, id)).total, Number(real.n)], [41, 41]);
    const bad = await h.call('POST', '/api/v1/contacts/count', { token, body: { limit: 5 } });
    assert.equal(bad.status, 400);
    const badFilter = await h.call('POST', '/api/v1/contacts/count', { token, body: { filter: { field: 'nope', op: 'is', value: 1 } } });
    assert.equal(badFilter.body.error.code, 'invalid_filter');
  });

  it('a first page with its count answers a few changes late as an estimate, recounts behind, and /count stays fresh', async () => {
    const odd = { filter: { field: 'tags', op: 'has_any', value: ['odd'] }, limit: 5 };
    const counted = async (body: Body) => {
      const { count, estimated } = (await query({ ...body, count: true })).body;
      return { count, estimated };
    };
    countLimits.exactWorkspace = 10; // a "big" workspace, so counts of filtered queries are estimates
    try {
      const first = await counted(odd);
      await h.call('POST', '/api/v1/contacts', { token, body: { firstName: 'Late', tags: ['odd'] } });
      // One change since: the cached count comes back at once, labelled an estimate…
      assert.deepEqual(await counted(odd), { count: first.count, estimated: true });
      // …while the recount runs behind; /count itself never answers late.
      assert.equal((await h.call('POST', '/api/v1/contacts/count', { token, body: { filter: odd.filter, count: 'exact' } })).body.count, 21);
      // The recount runs behind (on a busy machine it may take a moment): wait for it to land.
      let after = await counted(odd);
      for (let i = 0; i < 200 && after.count === first.count; i++) {
        await new Promise((r) => setTimeout(r, 50));
        after = await counted(odd);
      }
      assert.ok(Math.abs(after.count - 21) <= 3, `recounted: ${after.count}`);
      assert.equal((await counted({ ...odd, count: 'exact' })).count, 21);
    } finally {
      countLimits.exactWorkspace = 20_000;
    }
  });
});
