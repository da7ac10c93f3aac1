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

  it('manages teams: create with members (id or external id), list, add / remove a member, rename, delete', async () => {
    const ws = JSON.parse((await dossier('workspace', 'create', '--name', 'Teams')).stdout) as { workspaceId: string };
    const w = ['--workspace', ws.workspaceId];
    const ada = JSON.parse((await dossier('member', 'add', ...w, '--external-id', 'ada', '--name', 'Ada', '--email', 'ada@x.example', '--role', 'agent')).stdout) as { memberId: string };
    const bob = JSON.parse((await dossier('member', 'add', ...w, '--external-id', 'bob', '--name', 'Bob', '--email', 'bob@x.example', '--role', 'manager')).stdout) as { memberId: string };
    const created = await dossier('team', 'create', ...w, '--name', 'Support', '--member', ada.memberId, '--member', 'bob');
    assert.equal(created.code, 0, created.stderr);
    const team = JSON.parse(created.stdout) as { id: string; name: string; memberIds: string[] };
    assert.deepEqual([team.name, team.memberIds], ['Support', [ada.memberId, bob.memberId].sort()]);
    const removed = JSON.parse((await dossier('team', 'remove-member', ...w, '--team', team.id, '--member', 'ada')).stdout);
    assert.deepEqual(removed.memberIds, [bob.memberId]);
    const added = JSON.parse((await dossier('team', 'add-member', ...w, '--team', team.id, '--member', ada.memberId)).stdout);
    assert.equal(added.memberIds.length, 2);
    assert.equal(JSON.parse((await dossier('team', 'rename', ...w, '--team', team.id, '--name', 'Care')).stdout).name, 'Care');
    assert.deepEqual(JSON.parse((await dossier('team', 'list', ...w)).stdout).items.map((t: { name: string }) => t.name), ['Care']);
    const dup = await dossier('team', 'create', ...w, '--name', 'care');
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);
    const unknown = await dossier('team', 'add-member', ...w, '--team', team.id, '--member', 'nobody');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), `dossier: no member nobody in workspace ${ws.workspaceId}`);
    const usage = await dossier('team', 'create', ...w);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /team create needs --name[\s\S]*Usage: dossier/);
    assert.deepEqual(JSON.parse((await dossier('team', 'delete', ...w, '--team', team.id)).stdout), { deleted: true, contacts: 0 });
  });
});
