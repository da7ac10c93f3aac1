import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPostgres } from './postgres/open.js';
import { engineOf } from './index.js';
import { openTestDatabase, type TestDatabase } from '../../test-db.js';

/** Background jobs every process schedules (the hourly purge) run in one process at a time. */
describe('exclusive background jobs', () => {
  let database: TestDatabase;
  before(async () => {
    database = await openTestDatabase('dossier-locks-');
  });
  after(() => database.close());

  it('runs the job, and on PostgreSQL skips it in a second process while the first runs it', async () => {
    const locks = engineOf(database.opened.db).locks;
    assert.equal(await locks.exclusive('test job', async () => 'ran'), 'ran');
    if (!database.url) return; // SQLite: one process, nothing to exclude
    // A second process: its own pool on the same database.
    const other = openPostgres(database.url);
    try {
      let release: (() => void) | undefined;
      const running = locks.exclusive('test job', () => new Promise<string>((r) => (release = () => r('first'))));
      while (!release) await new Promise((r) => setTimeout(r, 10)); // the first holds the lock now
      assert.equal(await other.engine.locks.exclusive('test job', async () => 'second'), null, 'skipped while the first runs');
      assert.equal(await other.engine.locks.exclusive('another job', async () => 'other'), 'other', 'other keys are free');
      release();
      assert.equal(await running, 'first');
      assert.equal(await other.engine.locks.exclusive('test job', async () => 'second'), 'second', 'free again afterwards');
    } finally {
      await other.db.destroy();
    }
  });
});
