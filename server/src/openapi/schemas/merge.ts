// Response schemas of merging and unmerging contacts, each tied to what the domain function returns.
import { z } from 'zod';
import type { mergeContacts, previewMerge, UnmergeResult } from '../../domain/merge.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';
import { contactJson } from './contact.js';

export const mergedJson = z.object({ mergeId: z.string(), survivor: contactJson }).strict();
sameShape<SameShape<z.output<typeof mergedJson>, Awaited<ReturnType<typeof mergeContacts>>>>();

/** What a merge would do: the survivor as it would be, the contacts as they are, and the fields they disagree on. */
export const mergePreviewJson = z
  .object({
    result: contactJson,
    contacts: z.array(contactJson),
    conflicts: z.array(
      z
        .object({
          field: z.string().describe('A contact field (`firstName`, `address`, …) or `customFields.<key>`.'),
          values: z.array(z.object({ contactId: z.string(), value: z.unknown() }).strict()),
        })
        .strict(),
    ),
  })
  .strict();
sameShape<SameShape<z.output<typeof mergePreviewJson>, Awaited<ReturnType<typeof previewMerge>>>>();

export const unmergeResultJson = z
  .object({
    mergeId: z.string(),
    restored: z.array(contactJson),
    survivor: contactJson,
    remaining: z.object({ mergeId: z.string(), mergedIds: z.array(z.string()) }).strict().nullable(),
  })
  .strict();
sameShape<SameShape<z.output<typeof unmergeResultJson>, UnmergeResult>>();

/** A merge a contact survived (GET /merges). */
export const mergeSummaryJson = z.object({ id: z.string(), survivorId: z.string(), mergedIds: z.array(z.string()), createdAt: z.number(), undoneAt: z.number().nullable() }).strict();
export const mergeList = z.object({ items: z.array(mergeSummaryJson) }).strict();
