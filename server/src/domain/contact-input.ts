import { z } from 'zod';

export const DND_CHANNELS = ['sms', 'call', 'email', 'facebook', 'gmb', 'whatsapp'] as const;

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).nullish();

export const addressSchema = z
  .object({
    line1: optionalText(200),
    line2: optionalText(200),
    city: optionalText(120),
    region: optionalText(120),
    postalCode: optionalText(40),
    country: optionalText(120),
  })
  .strict();

export const emailInput = z
  .object({ value: z.string().max(320), label: optionalText(40), primary: z.boolean().optional() })
  .strict();
export const phoneInput = z
  .object({ value: z.string().max(40), label: z.string().nullish(), primary: z.boolean().optional() })
  .strict();

export const dndInput = z.object(Object.fromEntries(DND_CHANNELS.map((ch) => [ch, z.boolean().optional()]))).strict();

const attributionInput = z
  .object({
    source: optionalText(200),
    medium: optionalText(200),
    campaign: optionalText(200),
    term: optionalText(200),
    content: optionalText(200),
    referrer: optionalText(2000),
    url: optionalText(2000),
    at: z.number().int().optional(),
  })
  .strict();

/** Fields a client may set on a contact. Unknown keys are refused. Arrays replace the stored list. */
export const contactFields = {
  firstName: optionalText(200),
  lastName: optionalText(200),
  companyName: optionalText(200),
  address: addressSchema.nullish(),
  website: optionalText(2000),
  avatarUrl: optionalText(2000),
  emails: z.array(emailInput).max(50).optional(),
  phones: z.array(phoneInput).max(50).optional(),
  tags: z.array(text(100).min(1)).max(200).optional(),
  ownerId: z.string().max(64).nullish(),
  /** The contact's team (GET /teams), or null for none. */
  teamId: z.string().max(64).nullish(),
  followerIds: z.array(z.string().max(64)).max(100).optional(),
  /** Keys are custom field keys; a null value clears that field. */
  customFields: z.record(z.string(), z.unknown()).optional(),
  dnd: dndInput.optional(),
  source: optionalText(100),
  attribution: attributionInput.nullish(),
};

export const contactCreateSchema = z.object(contactFields).strict();
export const contactPatchSchema = z.object(contactFields).strict();

export type ContactCreateInput = z.output<typeof contactCreateSchema>;
export type ContactPatchInput = z.output<typeof contactPatchSchema>;
export type DndChannelName = (typeof DND_CHANNELS)[number];
