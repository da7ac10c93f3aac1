import { z } from 'zod';

/** `{ deleted: true, id }`: what a delete answers when the thing is gone for good. */
export const deletedJson = z.object({ deleted: z.literal(true), id: z.string() }).strict();
/** `{ ok: true }`: an acknowledgement with nothing more to say. */
export const okJson = z.object({ ok: z.literal(true) }).strict();
/** A short-lived signed URL (no credential needed to follow it) and when it stops working, in ms since the epoch. */
export const signedLinkJson = z.object({ url: z.string(), expiresAt: z.number() }).strict();
/** A one-time ticket for opening an event stream (`?ticket=`), and when it expires, in ms since the epoch. */
export const streamTicketJson = z.object({ ticket: z.string(), expiresAt: z.number() }).strict();
/** A keyset page: `items`, and `nextCursor` to pass as `cursor` for the next page (null on the last). */
export const cursorPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() }).strict();
