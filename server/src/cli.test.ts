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

  it('creates and lists organizations, and creates, lists, rotates and revokes their keys', async () => {
    const org = JSON.parse((await dossier('organization', 'create', '--name', 'Agency')).stdout) as { id: string; name: string; workspaces: number };
    assert.match(org.id, /^org_/);
    assert.deepEqual([org.name, org.workspaces], ['Agency', 0]);
    const ws = await dossier('workspace', 'create', '--name', 'Client', '--organization', org.id);
    assert.equal(ws.code, 0, ws.stderr);
    const listed = JSON.parse((await dossier('organization', 'list')).stdout) as { items: { id: string; workspaces: number }[] };
    assert.deepEqual(listed.items.find((o) => o.id === org.id)?.workspaces, 1);

    const o = ['--organization', org.id];
    const created = await dossier('org-key', 'create', ...o, '--name', 'backend');
    assert.equal(created.code, 0, created.stderr);
    const { key, secretKey } = JSON.parse(created.stdout) as { key: { id: string; prefix: string; name: string }; secretKey: string };
    assert.match(secretKey, /^dok_/);
    assert.deepEqual([key.name, key.prefix], ['backend', secretKey.slice(0, 12)]);

    const rotated = await dossier('org-key', 'rotate', ...o, '--key', key.id, '--grace-seconds', '600');
    assert.equal(rotated.code, 0, rotated.stderr);
    const r = JSON.parse(rotated.stdout) as { key: { id: string }; secretKey: string; previous: { id: string; status: string; expiresAt: number } };
    assert.match(r.secretKey, /^dok_/);
    assert.deepEqual([r.previous.id, r.previous.status], [key.id, 'expiring']);
    assert.ok(Math.abs(r.previous.expiresAt - (Date.now() + 600_000)) < 60_000);

    const keys = await dossier('org-key', 'list', ...o);
    assert.ok(!keys.stdout.includes(secretKey) && !keys.stdout.includes(r.secretKey), 'the list shows prefixes, never the key');
    assert.deepEqual((JSON.parse(keys.stdout) as { items: { id: string; status: string }[] }).items.map((k) => [k.id, k.status]), [[key.id, 'expiring'], [r.key.id, 'active']]);

    const revoked = await dossier('org-key', 'revoke', ...o, '--key', key.id);
    assert.equal((JSON.parse(revoked.stdout) as { status: string }).status, 'revoked');
    const again = await dossier('org-key', 'rotate', ...o, '--key', key.id);
    assert.equal(again.code, 1);
    assert.equal(again.stderr.trim(), 'dossier: Active organization key not found.');
    const elsewhere = await dossier('org-key', 'list', '--organization', 'org_nope');
    assert.equal(elsewhere.code, 1);
    assert.equal(elsewhere.stderr.trim(), 'dossier: Organization not found.');
    const badGrace = await dossier('org-key', 'rotate', ...o, '--key', r.key.id, '--grace-seconds', 'soon');
    assert.equal(badGrace.code, 2);
    assert.match(badGrace.stderr, /--grace-seconds must be a whole number[\s\S]*Usage: dossier/);
    assert.match((await dossier('org-key', 'revoke', ...o)).stderr, /org-key revoke needs --key/);
    assert.match((await dossier('organization', 'create')).stderr, /organization create needs --name/);
  });

  it('member add refuses an external id in the namespace of organization sessions', async () => {
    const ws = JSON.parse((await dossier('workspace', 'create', '--name', 'Reserved')).stdout) as { workspaceId: string };
    const res = await dossier('member', 'add', '--workspace', ws.workspaceId, '--external-id', 'org:org_x:u1', '--name', 'M', '--email', 'm@x.example', '--role', 'owner');
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--external-id must not start with "org:"/);
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
