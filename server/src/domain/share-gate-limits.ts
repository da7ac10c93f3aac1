// The share gate's abuse limits. Budgets by client address and by link live in db/rate-limits.ts (shared by every
// server process); the caps per identifier are counted from the codes themselves, within the link's workspace and only
// for codes actually sent — another workspace's links, or a deny list elsewhere, lock nobody out.
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import { rateLimits, type RateLimit } from '../db/rate-limits.js';
import type { ShareLinkRow } from '../db/schema.js';
import type { AppDeps, ShareLimits } from '../deps.js';
import { ApiError } from '../http/errors.js';

export const tooMany = (code: string, message: string, retryAfterSeconds: number) => new ApiError(429, code, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
const ipLimited = (retryAfterSeconds: number) => tooMany('rate_limited', 'Too many requests from your network. Wait a little and try again.', retryAfterSeconds);
const identifierLocked = () => tooMany('identifier_locked', 'Too many wrong codes for this address today. Try again tomorrow.', 86_400);
const coolingDown = (retryAfterSeconds: number) => tooMany('link_cooling_down', 'Too many wrong codes were tried on this link. Wait a little, then ask for a new code.', retryAfterSeconds);

export class GateLimits {
  private readonly budgets: Record<'sendIp' | 'checkIp' | 'openIp' | 'openLink' | 'linkFailures', RateLimit>;

  constructor(
    private readonly deps: AppDeps,
    private readonly limits: ShareLimits,
  ) {
    const limit = rateLimits(deps.db);
    this.budgets = {
      sendIp: limit('share-send-ip', { points: limits.sendsPerIpPerHour, windowSeconds: 3600 }),
      checkIp: limit('share-check-ip', { points: limits.checksPerIpPer10Min, windowSeconds: 600 }),
      openIp: limit('share-open-ip', { points: limits.opensPerIpPer10Min, windowSeconds: 600 }),
      openLink: limit('share-open-link', { points: limits.opensPerLinkPerHour, windowSeconds: 3600 }),
      linkFailures: limit('share-link-failures', { points: limits.failuresPerLinkPerHour, windowSeconds: 3600 }),
    };
  }

  private async spend(budget: RateLimit, key: string, refuse: (retryAfterSeconds: number) => ApiError) {
    const wait = await budget.hit(key);
    if (wait !== null) throw refuse(wait);
  }

  /** A code send from this address. */
  sendFrom(ip: string) {
    return this.spend(this.budgets.sendIp, ip, ipLimited);
  }

  /** A code check from this address, whichever identifier and link it is for. */
  checkFrom(ip: string) {
    return this.spend(this.budgets.checkIp, ip, ipLimited);
  }

  /** An open without a code: it starts a view (and may create a contact), bounded per address and per link. */
  async openFrom(ip: string, link: ShareLinkRow) {
    await this.spend(this.budgets.openIp, ip, ipLimited);
    await this.spend(this.budgets.openLink, link.id, (s) => tooMany('rate_limited', 'This link is opened too often right now. Try again in a little while.', s));
  }

  /** 429 while the link cools down after its failure budget was spent (its codes were voided then). */
  async assertNotCoolingDown(link: ShareLinkRow) {
    const { used, retryAfterSeconds } = await this.budgets.linkFailures.peek(link.id);
    if (used >= this.limits.failuresPerLinkPerHour) throw coolingDown(retryAfterSeconds);
  }

  /**
   * Takes one failure from the link's budget before a code is compared (given back when it was right), so concurrent
   * guesses cannot get past it; a guess that finds it spent starts the cool-down.
   */
  async reserveLinkFailure(link: ShareLinkRow, now: number) {
    if ((await this.budgets.linkFailures.hit(link.id)) === null) return;
    throw coolingDown(await this.coolDown(link, now));
  }

  giveBackLinkFailure(link: ShareLinkRow) {
    return this.budgets.linkFailures.reward(link.id);
  }

  /** After a wrong code: the failure that spends the link's budget starts the cool-down at once. */
  async linkFailed(link: ShareLinkRow, now: number) {
    if ((await this.budgets.linkFailures.peek(link.id)).used >= this.limits.failuresPerLinkPerHour) await this.coolDown(link, now);
  }

  /** Every live code of the link is void, and it sends and checks none until the cool-down ends. Returns its seconds. */
  private async coolDown(link: ShareLinkRow, now: number) {
    const seconds = Math.ceil(this.limits.linkCooldownMs / 1000);
    await this.budgets.linkFailures.block(link.id, seconds);
    // Guesses arriving at once may all start it: on PostgreSQL their updates of the same rows, each locking them in
    // its own order, would deadlock; one at a time per link (SQLite runs one at a time anyway).
    await this.deps.db.transaction().execute(async (trx) => {
      await engineOf(trx).locks.hold(trx, [`link-cooldown:${link.id}`]);
      await trx.updateTable('otp_challenges').set({ replaced_at: now }).where('link_id', '=', link.id).where('replaced_at', 'is', null).where('consumed_at', 'is', null).execute();
    });
    return seconds;
  }

  /**
   * The identifier's codes its caps count: those actually sent by the workspace's links. A refused identifier (to
   * which nothing is ever sent) counts its own suppressed sends on this link instead, so its answers look the same.
   */
  private identifierChallenges(trx: Db, link: ShareLinkRow, identifier: string, allowed: boolean, since: number) {
    const query = trx
      .selectFrom('otp_challenges')
      .innerJoin('share_links', 'share_links.id', 'otp_challenges.link_id')
      .where('otp_challenges.identifier', '=', identifier)
      .where('otp_challenges.created_at', '>', since)
      .where('otp_challenges.delivery_failed', 'is', null);
    return allowed
      ? query.where('share_links.workspace_id', '=', link.workspace_id).where('otp_challenges.suppressed', '=', 0)
      : query.where('otp_challenges.link_id', '=', link.id).where('otp_challenges.suppressed', '=', 1);
  }

  /** 429 identifier_locked after too many wrong tries today. */
  async assertNotLocked(trx: Db, link: ShareLinkRow, identifier: string, allowed: boolean, now: number) {
    const row = await this.identifierChallenges(trx, link, identifier, allowed, now - 86_400_000)
      .select((eb) => eb.fn.sum<number>('otp_challenges.attempts').as('n'))
      .executeTakeFirstOrThrow();
    if (Number(row.n ?? 0) >= this.limits.failuresPerIdentifierPerDay) throw identifierLocked();
  }

  /** Before a new code: the resend cooldown (link + identifier), the hourly cap and the daily lock. Run it in the send's transaction. */
  async assertMaySend(trx: Db, link: ShareLinkRow, identifier: string, allowed: boolean, now: number) {
    const L = this.limits;
    const last = await trx.selectFrom('otp_challenges').select('created_at').where('link_id', '=', link.id).where('identifier', '=', identifier).where('delivery_failed', 'is', null).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (last && now - last.created_at < L.resendCooldownMs) {
      throw tooMany('resend_too_soon', 'A code was just sent. Wait a moment before asking for another.', (last.created_at + L.resendCooldownMs - now) / 1000);
    }
    // The hourly cap and the daily lock from one read of the day's codes.
    const hourAgo = now - 3_600_000;
    const day = await this.identifierChallenges(trx, link, identifier, allowed, now - 86_400_000)
      .select((eb) => [
        eb.fn.sum<number>(eb.case().when('otp_challenges.created_at', '>', hourAgo).then(eb.lit(1)).else(eb.lit(0)).end()).as('sent'),
        eb.fn.min<number>(eb.case().when('otp_challenges.created_at', '>', hourAgo).then(eb.ref('otp_challenges.created_at')).end()).as('first'),
        eb.fn.sum<number>('otp_challenges.attempts').as('tries'),
      ])
      .executeTakeFirstOrThrow();
    if (Number(day.sent ?? 0) >= L.sendsPerIdentifierPerHour) {
      throw tooMany('too_many_codes', 'Too many codes were sent to this address in the last hour. Try again later.', ((day.first === null ? now : Number(day.first)) + 3_600_000 - now) / 1000);
    }
    if (Number(day.tries ?? 0) >= L.failuresPerIdentifierPerDay) throw identifierLocked();
  }
}
