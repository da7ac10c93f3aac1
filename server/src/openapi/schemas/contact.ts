// Response schemas of the contact routes (and of every route that answers contacts). Each is tied to the TypeScript
// type the route returns by sameShape: the type check fails when either side changes alone.
import { z } from 'zod';
import { DND_CHANNELS } from '../../domain/contact-input.js';
import type { Address, Attribution, ContactJson } from '../../domain/contacts.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';
import { cursorPage } from './common.js';

const optionalText = z.string().nullable().optional();
export const addressJson = z.object({ line1: optionalText, line2: optionalText, city: optionalText, region: optionalText, postalCode: optionalText, country: optionalText }).strict();
sameShape<SameShape<z.output<typeof addressJson>, Address>>();

export const attributionFields = {
  source: optionalText,
  medium: optionalText,
  campaign: optionalText,
  term: optionalText,
  content: optionalText,
  referrer: optionalText,
  url: optionalText,
  gclid: optionalText,
  fbclid: optionalText,
  channel: optionalText,
  activityId: optionalText,
  at: z.number().optional(),
};
export const attributionJson = z.object(attributionFields).strict();
sameShape<SameShape<z.output<typeof attributionJson>, Attribution>>();

export const contactJson = z
  .object({
    id: z.string(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    name: z.string(),
    companyName: z.string().nullable(),
    address: addressJson.nullable(),
    website: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    emails: z.array(z.object({ value: z.string(), label: z.string().nullable(), primary: z.boolean(), verified: z.boolean() }).strict()),
    phones: z.array(z.object({ value: z.string(), display: z.string(), label: z.string().nullable(), primary: z.boolean(), verified: z.boolean() }).strict()),
    handles: z.array(z.object({ channel: z.string(), handle: z.string() }).strict()),
    tags: z.array(z.string()),
    ownerId: z.string().nullable(),
    teamId: z.string().nullable().optional(),
    followerIds: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    dnd: z.record(z.enum(DND_CHANNELS), z.boolean()),
    source: z.string().nullable(),
    attribution: z.object({ first: attributionJson.nullable(), latest: attributionJson.nullable() }).strict(),
    lastInteractionAt: z.number().nullable(),
    lastChannel: z.string().nullable(),
    lastAccessedAt: z.number().nullable().optional(),
    accessCount: z.number().optional(),
    viewerChannels: z.array(z.enum(['email', 'whatsapp'])).optional(),
    mergedIntoId: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
    deletedAt: z.number().nullable(),
    version: z.number().int(),
  })
  .strict();
sameShape<SameShape<z.output<typeof contactJson>, ContactJson>>();

/** A contact in the restore bin: when it will be purged for good. */
export const binnedContactJson = contactJson.extend({ purgeAt: z.number(), msUntilPurge: z.number() }).strict();
export const contactPage = cursorPage(contactJson);
export const binPage = z.object({ items: z.array(binnedContactJson), nextCursor: z.string().nullable(), restoreDays: z.number().int() }).strict();
