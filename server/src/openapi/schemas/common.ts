import { z } from 'zod';

/** `{ deleted: true, id }`: what a delete answers when the thing is gone for good. */
export const deletedJson = z.object({ deleted: z.literal(true), id: z.string() }).strict();
/** `{ ok: true }`: an acknowledgement with nothing more to say. */
export const okJson = z.object({ ok: z.literal(true) }).strict();
