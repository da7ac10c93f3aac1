import { z } from 'zod';
import { ORIGINS, SECTIONS, type DocumentJson } from '../../domain/documents.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';

export const documentJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    section: z.enum(SECTIONS),
    origin: z.enum(ORIGINS),
    form: z.string().nullable(),
    name: z.string(),
    kind: z.string(),
    mediaType: z.string(),
    size: z.number().int(),
    sha256: z.string(),
    uploadedBy: z.string().nullable(),
    shareOnPortal: z.boolean(),
    messageId: z.string().nullable(),
    fieldKey: z.string().nullable(),
    inline: z.boolean(),
    contentUrl: z.string(),
    createdAt: z.number(),
    updatedAt: z.number(),
    deletedAt: z.number().nullable(),
  })
  .strict();
sameShape<SameShape<z.output<typeof documentJson>, DocumentJson>>();

const count = z.number().int();
export const documentPage = z
  .object({
    items: z.array(documentJson),
    nextCursor: z.string().nullable(),
    counts: z.object({ all: count, internal: count, sent: count, received: count, fields: count }).strict(),
    contactDeleted: z.boolean(),
  })
  .strict();
export const documentList = z.object({ items: z.array(documentJson) }).strict();
