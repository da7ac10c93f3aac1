// `npx dossier <command>` — serve, migrate, workspace create, organization …, org-key …, member add, team …, seed, demo.
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR } from './paths.js';
import { openDataDir, startServer, stopOnSignals } from './main.js';
import { log, logFormatFromEnv } from './log.js';
import { createWorkspace, upsertMember } from './domain/workspaces.js';
import { createAdminKey, listAdminKeys, revokeAdminKey } from './domain/admin-keys.js';
import { recordAdmin } from './domain/admin-audit.js';
import { isOrigin } from './domain/origins.js';
import { ensureDemoActivity } from './seed/demo-activity.js';
import { ensureDemoConversations } from './seed/demo-conversations.js';
import { seedContacts } from './seed/seed.js';
import { teamCommand } from './cli-teams.js';
import { organizationCommand, orgKeyCommand } from './cli-orgs.js';
import { ORG_EXTERNAL_ID_PREFIX } from './routes/sessions.js';
import { ensureDemoBilling } from './seed/billing.js';
import { ensureDemoPayments } from './seed/payments.js';
import { ensureDemoShareLink, ensureDemoWorkspace, mountDemoHost } from './demo-host.js';
import { ensureDemoAgency, mountDemoAgency } from './demo-agency.js';

const HELP = `Usage: dossier <command> [options]

Commands:
  serve                          Start the API server (PORT, default 3000).
  demo                           Start the server with the seeded demo workspace and host page.
  migrate                        Apply pending database migrations.
  workspace create --name NAME [--origin URL]... [--region US] [--restore-days 30] [--organization ORG_ID]
                                 Create a workspace; prints { "workspaceId", "secretKey", "keyId" } once.
  admin-key create --name NAME   Create an operator key for the admin API; prints it once.
  admin-key list                 List operator keys (prefix only).
  admin-key revoke --id ID       Revoke an operator key.
  organization create --name NAME
                                 Create an organization (an agency owning several workspaces); prints it (JSON).
  organization list              List organizations with their workspace counts (JSON).
  org-key create --organization ORG_ID [--name NAME]
                                 Create an organization key; prints { "key", "secretKey" } once (dok_…).
  org-key list --organization ORG_ID
                                 List the organization's keys (prefix and status only).
  org-key rotate --organization ORG_ID --key KEY_ID [--grace-seconds 86400]
                                 A new key (printed once); the old one works for the grace period (0 to 2592000 s).
  org-key revoke --organization ORG_ID --key KEY_ID
                                 Revoke a key: it mints no more sessions and the sessions it minted end.
  member add --workspace ID --external-id ID --name NAME --email EMAIL --role owner|manager|agent [--restricted]
                                 (an external id starting with "org:" is reserved for organization sessions)
  team list --workspace ID       The workspace's teams with their member ids (JSON).
  team create --workspace ID --name NAME [--member ID]...
  team rename --workspace ID --team TEAM_ID --name NAME
  team add-member --workspace ID --team TEAM_ID --member ID
  team remove-member --workspace ID --team TEAM_ID --member ID
  team delete --workspace ID --team TEAM_ID
                                 Teams of members (the table's "My team" inbox); --member takes a member id or
                                 the host's external id. Prints the team (JSON).
  seed --workspace ID --contacts N
                                 Insert N realistic fake contacts.

Environment: DOSSIER_DATA_DIR (default ./data), DATABASE_URL (postgres://…: PostgreSQL instead of SQLite in the
data folder), PORT, DOSSIER_TOKEN_SECRET, DOSSIER_OTP_SECRET, DOSSIER_ADMIN_KEY;
DOSSIER_TRUST_PROXY (reverse proxies in front: a hop count, or their addresses / CIDRs, comma-separated);
one-time codes: SMTP_URL, SMTP_FROM, WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_TEMPLATE,
WHATSAPP_API_BASE (unset: the dev outbox).`;

/** Bad usage (exit 2) shows the help; a failure with good usage (exit 1, e.g. an unknown workspace) only the message. */
function fail(message: string, usage = true): never {
  console.error(usage ? `dossier: ${message}\n\n${HELP}` : `dossier: ${message}`);
  process.exit(usage ? 2 : 1);
}

async function main(argv: string[]) {
  const [command, sub] = argv;
  const dataDir = DEFAULT_DATA_DIR;
  const port = Number(process.env.PORT ?? 3000);
  const flags = (options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>) =>
    parseArgs({ args: argv.slice(sub && !sub.startsWith('-') ? 2 : 1), options, strict: true }).values;

  switch (command) {
    case 'serve': {
      // Production: JSON log lines by default (DOSSIER_LOG_FORMAT=text for people).
      const server = await startServer({ port, dataDir, logFormat: logFormatFromEnv(process.env.DOSSIER_LOG_FORMAT, 'json') });
      stopOnSignals(server);
      log.info(`API listening on ${server.url}`, { port: server.port, dataDir });
      return;
    }
    case 'demo': {
      // The demo takes payments with the test provider (Stripe's test cards, no account) unless told otherwise.
      process.env.PAYMENTS_PROVIDER ??= 'test';
      const server = await startServer({
        port,
        dataDir,
        extend: async (root, opened, app) => {
          const demo = await ensureDemoWorkspace(opened, dataDir);
          const share = await ensureDemoShareLink(app, opened, demo);
          await ensureDemoActivity(app, opened, demo);
          await ensureDemoConversations(app, opened, demo);
          await ensureDemoBilling(app, opened, demo, `http://localhost:${port}`);
          await ensureDemoPayments(app, opened, demo);
          mountDemoAgency(root, app, await ensureDemoAgency(opened, dataDir, demo));
          mountDemoHost(root, app, demo, share, opened);
        },
      });
      stopOnSignals(server);
      log.info(`demo ready: open ${server.url}  (data: ${dataDir})`);
      return;
    }
    case 'migrate': {
      const { db, engine } = await openDataDir(dataDir);
      console.log(`[dossier] migrations applied (${engine.label})`);
      await db.destroy();
      return;
    }
    case 'workspace': {
      if (sub !== 'create') fail('expected "workspace create"');
      const v = flags({ name: { type: 'string' }, origin: { type: 'string', multiple: true }, region: { type: 'string' }, 'restore-days': { type: 'string' }, organization: { type: 'string' } });
      if (typeof v.name !== 'string' || !v.name.trim()) fail('--name is required');
      const origins = (v.origin as string[] | undefined) ?? [];
      for (const o of origins) if (!isOrigin(o)) fail(`--origin must be an origin like https://app.example.com, got ${o}`);
      const { db } = await openDataDir(dataDir);
      // The same code as the admin API's POST /admin/workspaces, and the same audit entry (by `cli`).
      const now = Date.now();
      const created = await createWorkspace(
        db,
        { name: v.name, origins, defaultRegion: v.region as string | undefined, restoreDays: v['restore-days'] ? Number(v['restore-days']) : undefined, organizationId: (v.organization as string | undefined) ?? null },
        now,
      ).catch((err: Error) => fail(err.message, false));
      await recordAdmin(db, { keyId: 'cli', action: 'workspace.created', targetType: 'workspace', targetId: created.workspaceId, details: { name: v.name, origins, keyId: created.keyId } }, now);
      console.log(JSON.stringify(created));
      await db.destroy();
      return;
    }
    case 'admin-key': {
      const { db } = await openDataDir(dataDir);
      if (sub === 'create') {
        const v = flags({ name: { type: 'string' } });
        if (typeof v.name !== 'string' || !v.name.trim()) fail('--name is required');
        const { secret, key } = await createAdminKey(db, v.name.trim(), Date.now());
        await recordAdmin(db, { keyId: 'cli', action: 'admin_key.created', targetType: 'admin_key', targetId: key.id, details: { name: key.name, prefix: key.prefix } }, Date.now());
        console.log(JSON.stringify({ ...key, adminKey: secret }));
      } else if (sub === 'list') {
        console.log(JSON.stringify(await listAdminKeys(db)));
      } else if (sub === 'revoke') {
        const v = flags({ id: { type: 'string' } });
        if (typeof v.id !== 'string') fail('--id is required');
        const key = await revokeAdminKey(db, v.id, Date.now()).catch((err: Error) => fail(err.message, false));
        await recordAdmin(db, { keyId: 'cli', action: 'admin_key.revoked', targetType: 'admin_key', targetId: key.id, details: { prefix: key.prefix } }, Date.now());
        console.log(JSON.stringify(key));
      } else {
        fail('expected "admin-key create", "admin-key list" or "admin-key revoke"');
      }
      await db.destroy();
      return;
    }
    case 'organization':
    case 'org-key': {
      const v = flags({ name: { type: 'string' }, organization: { type: 'string' }, key: { type: 'string' }, 'grace-seconds': { type: 'string' } });
      const { db } = await openDataDir(dataDir);
      try {
        const args = { name: v.name as string | undefined, organization: v.organization as string | undefined, key: v.key as string | undefined, graceSeconds: v['grace-seconds'] as string | undefined };
        console.log(JSON.stringify(await (command === 'organization' ? organizationCommand(db, sub, args, Date.now()) : orgKeyCommand(db, sub, args, Date.now()))));
      } catch (err) {
        await db.destroy();
        fail((err as Error).message, err instanceof TypeError);
      }
      await db.destroy();
      return;
    }
    case 'member': {
      if (sub !== 'add') fail('expected "member add"');
      const v = flags({ workspace: { type: 'string' }, 'external-id': { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, restricted: { type: 'boolean' } });
      const role = v.role as string;
      if (!v.workspace || !v['external-id'] || !v.name || !v.email || !['owner', 'manager', 'agent'].includes(role)) {
        fail('member add needs --workspace, --external-id, --name, --email and --role owner|manager|agent');
      }
      // That namespace belongs to the members organization sessions create (routes/sessions.ts: orgExternalId).
      if ((v['external-id'] as string).startsWith(ORG_EXTERNAL_ID_PREFIX)) {
        fail(`--external-id must not start with "${ORG_EXTERNAL_ID_PREFIX}": that namespace is reserved for the members organization sessions create`);
      }
      const { db } = await openDataDir(dataDir);
      const ws = await db.selectFrom('workspaces').select('id').where('id', '=', v.workspace as string).executeTakeFirst();
      if (!ws) fail(`no workspace ${String(v.workspace)}`, false);
      const id = await upsertMember(db, ws.id, { externalId: v['external-id'] as string, name: v.name as string, email: v.email as string, role: role as 'owner', restrictToAssigned: Boolean(v.restricted) }, Date.now());
      console.log(JSON.stringify({ memberId: id }));
      await db.destroy();
      return;
    }
    case 'team': {
      const v = flags({ workspace: { type: 'string' }, team: { type: 'string' }, name: { type: 'string' }, member: { type: 'string', multiple: true } });
      const { db } = await openDataDir(dataDir);
      try {
        console.log(JSON.stringify(await teamCommand(db, sub, { workspace: v.workspace as string | undefined, team: v.team as string | undefined, name: v.name as string | undefined, members: (v.member as string[] | undefined) ?? [] }, Date.now())));
      } catch (err) {
        await db.destroy();
        fail((err as Error).message, err instanceof TypeError);
      }
      await db.destroy();
      return;
    }
    case 'seed': {
      const v = flags({ workspace: { type: 'string' }, contacts: { type: 'string' } });
      const count = Number(v.contacts ?? 1000);
      if (!v.workspace) fail('--workspace is required');
      if (!Number.isInteger(count) || count < 1) fail('--contacts must be a positive whole number');
      const opened = await openDataDir(dataDir);
      const ws = await opened.db.selectFrom('workspaces').select('id').where('id', '=', v.workspace as string).executeTakeFirst();
      if (!ws) fail(`no workspace ${String(v.workspace)}`, false);
      const started = Date.now();
      await seedContacts(opened, ws.id, count, {
        now: Date.now(),
        onProgress: (done) => process.stderr.write(`\r[dossier] seeded ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')}`),
      });
      process.stderr.write('\n');
      console.log(JSON.stringify({ workspaceId: ws.id, contacts: count, seconds: (Date.now() - started) / 1000 }));
      await opened.db.destroy();
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return;
    default:
      fail(`unknown command "${command}"`);
  }
}

await main(process.argv.slice(2));
