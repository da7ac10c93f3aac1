// Request and response schemas of the association routes (the OpenAPI document shows them; the server tests check
// every answer against them).
import { z } from 'zod';
import type { AssociationJson } from '../domain/associations/associations.js';
import type { AssociationTypeJson } from '../domain/associations/association-types.js';
import type { CompanyJson } from '../domain/associations/companies.js';
import { TARGET_KINDS, type TargetSummary } from '../domain/associations/kinds.js';
import { MAX_OBJECT_FIELDS, objectFieldSchema } from '../domain/associations/object-fields.js';
import type { ObjectRecordJson, ObjectTypeJson } from '../domain/associations/objects.js';
import { sameShape, type SameShape } from '../http/route-meta.js';
import { cursorPage } from '../openapi/schemas/common.js';

export const id = z.string().min(1).max(64);
const name = z.string().trim().min(1, 'Enter a name.').max(200);
const optionalText = (max: number) => z.string().max(max).nullable().optional();
const label = z.string().trim().min(1, 'Enter a label.').max(60);

export const listQuery = z
  .object({ q: z.string().trim().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(30), cursor: z.string().max(500).optional() })
  .strict();

export const companyCreate = z.object({ name, domain: optionalText(253), phone: optionalText(40), address: optionalText(500) }).strict();
export const companyPatch = companyCreate.partial().strict().refine((v) => Object.keys(v).length > 0, 'Send at least one field.');

export const objectTypeCreate = z.object({ name: z.string().trim().min(1).max(60), pluralName: z.string().trim().min(1).max(60), fields: z.array(objectFieldSchema).max(MAX_OBJECT_FIELDS).default([]) }).strict();
export const objectTypePatch = objectTypeCreate.partial().strict().refine((v) => Object.keys(v).length > 0, 'Send at least one field.');
const values = z.record(z.string().max(40), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export const recordCreate = z.object({ name, fields: values.optional() }).strict();
export const recordPatch = recordCreate.partial().strict().refine((v) => Object.keys(v).length > 0, 'Send at least one field.');

export const typeCreate = z.object({ targetKind: z.enum(TARGET_KINDS), objectTypeId: id.nullable().optional(), label, reverseLabel: label.nullable().optional() }).strict();
export const typePatch = z.object({ label: label.optional(), reverseLabel: label.nullable().optional() }).strict().refine((v) => Object.keys(v).length > 0, 'Send label and/or reverseLabel.');

export const linkCreate = z.object({ typeId: id, targetId: id, reverse: z.boolean().optional() }).strict();
export const targetQuery = z
  .object({ kind: z.enum(TARGET_KINDS), q: z.string().trim().max(200).default(''), objectTypeId: id.optional(), limit: z.coerce.number().int().min(1).max(50).default(20) })
  .strict();

export const companyJson = z.object({ id: z.string(), name: z.string(), domain: z.string().nullable(), phone: z.string().nullable(), address: z.string().nullable(), createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof companyJson>, CompanyJson>>();
export const companyPage = cursorPage(companyJson);

export const objectTypeJson = z.object({ id: z.string(), name: z.string(), pluralName: z.string(), fields: z.array(objectFieldSchema), createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof objectTypeJson>, ObjectTypeJson>>();
export const objectRecordJson = z.object({ id: z.string(), typeId: z.string(), name: z.string(), fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])), createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof objectRecordJson>, ObjectRecordJson>>();
export const objectRecordPage = cursorPage(objectRecordJson);

export const associationTypeJson = z.object({ id: z.string(), targetKind: z.enum(TARGET_KINDS), objectTypeId: z.string().nullable(), label: z.string(), reverseLabel: z.string().nullable(), builtIn: z.boolean(), createdAt: z.number(), updatedAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof associationTypeJson>, AssociationTypeJson>>();

const opportunityFacts = z.object({ stage: z.string(), status: z.enum(['open', 'won', 'lost', 'abandoned']), value: z.number().int(), currency: z.string() }).strict();
export const targetJson = z
  .object({ kind: z.enum(TARGET_KINDS), id: z.string(), name: z.string(), detail: z.string().nullable(), objectTypeId: z.string().nullable(), opportunity: opportunityFacts.optional() })
  .strict();
sameShape<SameShape<z.output<typeof targetJson>, TargetSummary>>();
export const associationJson = z.object({ id: z.string(), typeId: z.string(), label: z.string(), direction: z.enum(['forward', 'reverse']), target: targetJson, createdAt: z.number() }).strict();
sameShape<SameShape<z.output<typeof associationJson>, AssociationJson>>();
