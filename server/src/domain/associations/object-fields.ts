// The typed fields of a host-defined custom object type, and the check of a record's values against them. Pure: no
// database, so the rules are tested on their own and shared by create and update.
import { z } from 'zod';
import { invalidField } from '../../http/errors.js';
import { sameShape, type SameShape } from '../../http/route-meta.js';

export const OBJECT_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'choice'] as const;
export type ObjectFieldType = (typeof OBJECT_FIELD_TYPES)[number];
export const MAX_OBJECT_FIELDS = 30;
export const MAX_CHOICE_OPTIONS = 50;
export const MAX_TEXT_VALUE = 2000;

export const objectFieldSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'A key is lower-case letters, digits and _ (starting with a letter), at most 40.'),
    label: z.string().trim().min(1).max(80),
    type: z.enum(OBJECT_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(80)).min(1).max(MAX_CHOICE_OPTIONS).optional(),
    required: z.boolean().optional(),
  })
  .strict();
/** A plain interface (not z.output), so widget declarations that show it carry no zod types. */
export interface ObjectField {
  key: string;
  label: string;
  type: ObjectFieldType;
  options?: string[];
  required?: boolean;
}
sameShape<SameShape<z.output<typeof objectFieldSchema>, ObjectField>>();

/** A type's field list: unique keys, options on choice fields (unique) and only there. */
export function checkFieldList(fields: ObjectField[], path = 'fields') {
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (f.key === 'name') throw invalidField(`${path}[${i}].key`, '"name" is every record\'s own name; choose another key.');
    if (seen.has(f.key)) throw invalidField(`${path}[${i}].key`, `The key "${f.key}" is used twice.`);
    seen.add(f.key);
    if (f.type === 'choice' && !f.options?.length) throw invalidField(`${path}[${i}].options`, 'A choice field needs its options.');
    if (f.type !== 'choice' && f.options) throw invalidField(`${path}[${i}].options`, 'Only a choice field has options.');
    if (f.options && new Set(f.options).size !== f.options.length) throw invalidField(`${path}[${i}].options`, 'Each option once.');
  });
}

export type ObjectValue = string | number | boolean;
export type ObjectValues = Record<string, ObjectValue>;

/** A calendar date, YYYY-MM-DD, that exists. */
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/**
 * Checks values against the type's fields and answers the record's values after the change: `base` (the record as it
 * is, on update) with `input` applied; null clears a field. Unknown keys, wrong types and missing required fields
 * are refused with the field's path (`fields.bedrooms`).
 */
export function checkValues(fields: ObjectField[], input: Record<string, unknown>, base: ObjectValues = {}): ObjectValues {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const out: ObjectValues = { ...base };
  for (const [key, value] of Object.entries(input)) {
    const field = byKey.get(key);
    const path = `fields.${key}`;
    if (!field) throw invalidField(path, `This object type has no field "${key}".`);
    if (value === null || value === '') {
      delete out[key];
      continue;
    }
    switch (field.type) {
      case 'text':
        if (typeof value !== 'string') throw invalidField(path, `${field.label} is text.`);
        if (value.length > MAX_TEXT_VALUE) throw invalidField(path, `${field.label} holds at most ${MAX_TEXT_VALUE} characters.`);
        out[key] = value.trim();
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidField(path, `${field.label} is a number.`);
        out[key] = value;
        break;
      case 'date':
        if (typeof value !== 'string' || !isDate(value)) throw invalidField(path, `${field.label} is a date (YYYY-MM-DD).`);
        out[key] = value;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw invalidField(path, `${field.label} is true or false.`);
        out[key] = value;
        break;
      case 'choice':
        if (typeof value !== 'string' || !field.options!.includes(value)) throw invalidField(path, `${field.label} is one of: ${field.options!.join(', ')}.`);
        out[key] = value;
        break;
    }
  }
  for (const f of fields) if (f.required && (out[f.key] === undefined || out[f.key] === '')) throw invalidField(`fields.${f.key}`, `${f.label} is required.`);
  return out;
}
