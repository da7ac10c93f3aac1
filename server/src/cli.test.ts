import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from './paths.js';

// The real `dossier` bin in a child process, on a data folder of its own.
const dataDir = mkdtempSync(join(tmpdir(), 'dossier-cli-'));
function dossier(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO_ROOT, 'bin', 'dossier.mjs'), ...args], { env: { ...process.env, DOSSIER_DATA_DIR: dataDir } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the dossier CLI', () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates a workspace and a member, printing JSON', async () => {
    const created = await dossier('workspace', 'create', '--name', 'Acme', '--origin', 'https://app.acme.example');
    assert.equal(created.code, 0, created.stderr);
    const { workspaceId, secretKey } = JSON.parse(created.stdout) as { workspaceId: string; secretKey: string };
    assert.match(workspaceId, /^ws_/);
    assert.match(secretKey, /^dsk_/);
    const member = await dossier('member', 'add', '--workspace', workspaceId, '--external-id', 'u1', '--name', 'Ada', '--email', 'ada@acme.example', '--role', 'owner');
    assert.equal(member.code, 0, member.stderr);
  });

  it('creates, lists and revokes operator keys for the admin API', async () => {
    const created = await dossier('admin-key', 'create', '--name', 'ops');
    assert.equal(created.code, 0, created.stderr);
    const key = JSON.parse(created.stdout) as { id: string; adminKey: string; prefix: string };
    assert.match(key.adminKey, /^dak_/);
    assert.equal(key.prefix, key.adminKey.slice(0, 12));
    const listed = await dossier('admin-key', 'list');
    assert.ok(!listed.stdout.includes(key.adminKey), 'the list shows prefixes, never the key');
    assert.deepEqual((JSON.parse(listed.stdout) as { id: string }[]).map((k) => k.id), [key.id]);
    const revoked = await dossier('admin-key', 'revoke', '--id', key.id);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(typeof (JSON.parse(revoked.stdout) as { revokedAt: number }).revokedAt, 'number');
    const noOrg = await dossier('workspace', 'create', '--name', 'X', '--organization', 'org_nope');
    assert.equal(noOrg.code, 1);
    assert.equal(noOrg.stderr.trim(), 'dossier: Organization not found.');
  });

  it('shows the usage for bad usage (exit 2), and only the message when the usage was right (exit 1)', async () => {
    const missing = await dossier('workspace', 'create');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--name is required[\s\S]*Usage: dossier/);
    const badOrigin = await dossier('workspace', 'create', '--name', 'X', '--origin', 'not a url');
    assert.equal(badOrigin.code, 2);
    assert.match(badOrigin.stderr, /--origin must be an origin/);
    const unknown = await dossier('member', 'add', '--workspace', 'ws_nope', '--external-id', 'u', '--name', 'N', '--email', 'n@x.example', '--role', 'agent');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'dossier: no workspace ws_nope');
  });
});
