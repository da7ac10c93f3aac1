import { z } from 'zod';
import type { GateInfo, OpenedView, SendResult } from '../../domain/share-gate.js';
import type { ShareLinkJson } from '../../domain/share-links.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';

const require = z.enum(['none', 'email', 'whatsapp', 'either']);
const viewerChannel = z.enum(['email', 'whatsapp']);

export const shareLinkJson = z
  .object({
    id: z.string(),
    documentId: z.string(),
    slug: z.string(),
    path: z.string(),
    url: z.string(),
    name: z.string(),
    require,
    verifyOtp: z.boolean(),
    allowDownload: z.boolean(),
    expiresAt: z.number().nullable(),
    disabledAt: z.number().nullable(),
    allowList: z.array(z.string()),
    denyList: z.array(z.string()),
    createdBy: z.string().nullable(),
    createdAt: z.number(),
    updatedAt: z.number(),
    views: z.number().int(),
    viewers: z.number().int(),
    lastViewedAt: z.number().nullable(),
    status: z.enum(['active', 'disabled', 'expired']),
  })
  .strict();
sameShape<SameShape<z.output<typeof shareLinkJson>, ShareLinkJson>>();
export const shareLinkList = z.object({ items: z.array(shareLinkJson) }).strict();

/** The public viewer's answers. */
export const gateInfoJson = z.object({ require, verifyOtp: z.boolean(), name: z.string().optional(), codeLength: z.literal(6) }).strict();
sameShape<SameShape<z.output<typeof gateInfoJson>, GateInfo>>();
export const sendResultJson = z.object({ sent: z.literal(true), channel: viewerChannel, cooldownSeconds: z.number(), expiresInSeconds: z.number() }).strict();
sameShape<SameShape<z.output<typeof sendResultJson>, SendResult>>();
export const openedViewJson = z
  .object({
    token: z.string(),
    expiresAt: z.number(),
    viewId: z.string(),
    contactId: z.string().nullable(),
    document: z.object({ name: z.string(), kind: z.string(), mediaType: z.string(), size: z.number().int(), inline: z.boolean() }).strict(),
    link: z.object({ name: z.string(), allowDownload: z.boolean() }).strict(),
  })
  .strict();
sameShape<SameShape<z.output<typeof openedViewJson>, OpenedView>>();
