import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestDatabase, type TestDatabase } from '../test-db.js';
import { engineOf } from './engine/index.js';
import { forgetExpiredLimits, rateLimits } from './rate-limits.js';

// Runs on the engine of the test database (SQLite, or PostgreSQL under npm run test:pg).
describe('rate limits in the database', () => {
  let t: TestDatabase;
  before(async () => {
    t = await openTestDatabase();
  });
  after(() => t.close());

  const rows = async () => (await sql<{ key: string; points: number }>`SELECT key, points FROM rate_limits ORDER BY key`.execute(t.opened.db)).rows.map((r) => ({ key: r.key, points: Number(r.points) }));

  it("counts in the engine's own store, in the rate_limits table every process shares", async () => {
    const limiter = rateLimits(t.opened.db)('test-hits', { points: 2, windowSeconds: 60 });
    assert.equal((limiter as unknown as { limiter: object }).limiter.constructor.name, engineOf(t.opened.db).kind === 'postgres' ? 'RateLimiterPostgres' : 'RateLimiterSQLite');
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
    assert.deepEqual(await rows(), [
      { key: 'test-hits:10.0.0.1', points: 2 },
      { key: 'test-hits:10.0.0.2', points: blocked.used },
    ]);
  });

  it('forgets windows that ended more than an hour ago, and only those', async () => {
    const limiter = rateLimits(t.opened.db)('test-forget', { points: 5, windowSeconds: 60 });
    await limiter.hit('a');
    assert.equal(await forgetExpiredLimits(t.opened.db), 0, 'nothing has ended yet');
    // An hour and a minute later the 60-second window of 'a' ended an hour ago; the 15-minute block of 10.0.0.2 too.
    const removed = await forgetExpiredLimits(t.opened.db, Date.now() + 3_660_000 + 15 * 60_000);
    assert.equal(removed, 3);
    assert.deepEqual(await rows(), []);
  });
});
