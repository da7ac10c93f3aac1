import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, testDatabaseUrl, type TestDatabase } from '../test-db.js';
import { engineOf } from './engine/index.js';
import { forgetExpiredLimits, MemoryRateLimit, MemoryWindows, rateLimits } from './rate-limits.js';

describe('rate limits in memory (SQLite: one process serves the file)', () => {
  // A clock the test moves: the windows use it instead of Date.now().
  let now = 1_000_000;
  const windows = new MemoryWindows(() => now, 3);
  const limit = (name: string, points: number, windowSeconds: number) => new MemoryRateLimit(windows, name, { points, windowSeconds });

  it('allows the budget per window, refuses beyond it (counting the refused hit), and starts afresh when the window ends', async () => {
    const sends = limit('sends', 3, 60);
    for (let i = 0; i < 3; i++) assert.equal(await sends.hit('10.0.0.1'), null);
    now += 20_000;
    assert.equal(await sends.hit('10.0.0.1'), 40, 'the window opened by the first hit ends in 40 s');
    assert.deepEqual(await sends.peek('10.0.0.1'), { used: 4, retryAfterSeconds: 40 });
    assert.equal(await sends.hit('10.0.0.2'), null, 'another key has its own budget');
    assert.equal(await limit('checks', 3, 60).hit('10.0.0.1'), null, 'another budget counts apart');
    now += 40_000;
    assert.deepEqual(await sends.peek('10.0.0.1'), { used: 0, retryAfterSeconds: 0 });
    assert.equal(await sends.hit('10.0.0.1'), null, 'a new window');
    assert.equal((await sends.peek('10.0.0.1')).used, 1);
  });

  it('gives a hit back within its window only, and a block fills the budget for its own duration', async () => {
    const failures = limit('failures', 2, 3600);
    await failures.hit('lnk_1');
    await failures.hit('lnk_1');
    await failures.reward('lnk_1');
    assert.equal(await failures.hit('lnk_1'), null, 'the given-back hit is free again');
    assert.ok((await failures.hit('lnk_1'))! > 0);
    await failures.block('lnk_2', 900);
    assert.deepEqual(await failures.peek('lnk_2'), { used: 3, retryAfterSeconds: 900 });
    assert.equal(await failures.hit('lnk_2'), 900);
    now += 900_000;
    assert.equal(await failures.hit('lnk_2'), null, 'the block ended');
    await failures.reward('lnk_3');
    assert.equal((await failures.peek('lnk_3')).used, 0, 'nothing to give back where nothing was counted');
  });

  it('forgets ended windows as new keys arrive', async () => {
    const w = new MemoryWindows(() => now, 2);
    const short = new MemoryRateLimit(w, 'short', { points: 5, windowSeconds: 1 });
    await short.hit('a');
    await short.hit('b');
    now += 2000;
    await short.hit('c');
    await short.hit('d'); // the second new key since the last sweep: the ended windows of a and b go
    assert.equal(w.size, 2);
  });
});

// Runs on the engine of the test database (SQLite, or PostgreSQL under npm run test:pg).
describe('rate limits of an app', () => {
  let t: TestDatabase;
  before(async () => {
    t = await openTestDatabase();
  });
  after(() => t.close());

  const rows = async () => (await sql<{ key: string; points: number }>`SELECT key, points FROM rate_limits ORDER BY key`.execute(t.opened.db)).rows.map((r) => ({ key: r.key, points: Number(r.points) }));

  const postgres = () => engineOf(t.opened.db).kind === 'postgres';

  it('counts in the rate_limits table every process shares on PostgreSQL, in memory on SQLite', async () => {
    const limiter = rateLimits(t.opened.db)('test-hits', { points: 2, windowSeconds: 60 });
    if (postgres()) assert.equal((limiter as unknown as { limiter: object }).limiter.constructor.name, 'RateLimiterPostgres');
    else assert.ok(limiter instanceof MemoryRateLimit);
    assert.equal(await limiter.hit('10.0.0.1'), null);
    // Another process's limiter (a second instance on the same database) sees the same budget.
    const other = rateLimits(t.opened.db)('test-hits', { points: 2, windowSeconds: 60 });
    assert.equal(await other.hit('10.0.0.1'), null);
    const refused = await limiter.hit('10.0.0.1');
    assert.ok(refused !== null && refused > 0 && refused <= 60, `retry after ${refused}`);
    assert.equal((await other.peek('10.0.0.1')).used, 3, 'the refused hit is counted too');
    await limiter.reward('10.0.0.1');
    assert.equal((await limiter.peek('10.0.0.1')).used, 2);
    await limiter.block('10.0.0.2', 900);
    const blocked = await other.peek('10.0.0.2');
    assert.ok(blocked.used > 2 && blocked.retryAfterSeconds > 800, JSON.stringify(blocked));
    assert.deepEqual(
      await rows(),
      postgres()
        ? [
            { key: 'test-hits:10.0.0.1', points: 2 },
            { key: 'test-hits:10.0.0.2', points: blocked.used },
          ]
        : [],
    );
  });

  it('forgets windows that ended more than an hour ago, and only those (PostgreSQL)', { skip: !testDatabaseUrl() && 'SQLite counts in memory' }, async () => {
    const limiter = rateLimits(t.opened.db)('test-forget', { points: 5, windowSeconds: 60 });
    await limiter.hit('a');
    assert.equal(await forgetExpiredLimits(t.opened.db), 0, 'nothing has ended yet');
    // An hour and a minute later the 60-second window of 'a' ended an hour ago; the 15-minute block of 10.0.0.2 too.
    const removed = await forgetExpiredLimits(t.opened.db, Date.now() + 3_660_000 + 15 * 60_000);
    assert.equal(removed, 3);
    assert.deepEqual(await rows(), []);
  });
});
