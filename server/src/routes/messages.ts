import { Readable } from 'node:stream';
import { Hono } from 'hono';
import { simpleParser, type AddressObject } from 'mailparser';
import { z } from 'zod';
import { documentLimits, type AppDeps } from '../deps.js';
import { publishContacts } from '../domain/contacts.js';
import { CHANNELS, recordMessage, type IncomingMessage, type RecordedMessage, type SkippedAttachment } from '../domain/messages.js';
import { receiveFile, tooLarge, type ReceivedFile } from '../domain/receive-file.js';
import { requestBody, type RequestBody } from '../http/body.js';
import { JSON_BODY_BYTES, readTextBody } from '../http/body-limit.js';
import type { Caller, Env } from '../http/env.js';
import { ApiError, badRequest } from '../http/errors.js';
import { readMultipart } from '../http/multipart.js';
import { issuePaths, validate } from '../http/validate.js';
import { createSafeFetcher, FetchRefused } from '../storage/fetch-attachment.js';
import { fetchSenderAvatar, type SenderAvatarResult } from './contact-avatar.js';
import { documentsOf } from './documents.js';
import { acceptsBody, fails, responds, sameShape, type SameShape } from '../http/route-meta.js';
import { documentJson } from '../openapi/schemas/document.js';

const messageSchema = z
  .object({
    channel: z.enum(CHANNELS),
    direction: z.enum(['inbound', 'outbound']).default('inbound'),
    contact: z
      .object({
        email: z.string().max(320).optional(),
        phone: z.string().max(40).optional(),
        handle: z.string().max(200).optional(),
        firstName: z.string().max(200).optional(),
        lastName: z.string().max(200).optional(),
        /** The sender's profile picture on a social channel (facebook, instagram, whatsapp): kept when the contact has none. */
        avatarUrl: z.string().max(4000).optional(),
      })
      .strict(),
    subject: z.string().max(998).optional(),
    text: z.string().max(100_000).optional(),
    html: z.string().max(500_000).optional(),
    sender: z.object({ name: z.string().max(200).optional(), address: z.string().max(320).optional() }).strict().optional(),
    threadId: z.string().trim().min(1).max(200).optional(),
    call: z
      .object({
        durationSeconds: z.number().int().min(0).max(7 * 86_400).optional(),
        recordingUrl: z.string().url().max(4000).refine((u) => /^https?:/i.test(u), 'Expected an http(s) address.').optional(),
        summary: z.string().max(20_000).optional(),
      })
      .strict()
      .optional(),
    form: z.string().trim().min(1).max(200).optional(),
    externalId: z.string().max(200).optional(),
    at: z.number().int().positive().optional(),
    attachments: z.array(z.object({ url: z.string().max(4000), name: z.string().max(1000).optional() }).strict()).max(20).default([]),
  })
  .strict()
  .refine((m) => (m.channel !== 'form' && m.channel !== 'survey') || (m.form && m.direction === 'inbound'), {
    message: 'Form and survey submissions are inbound and need a form name.',
    path: ['form'],
  })
  .refine((m) => m.channel === 'call' || !m.call, { message: 'Only a call message has call details.', path: ['call'] })
  .refine((m) => m.channel === 'email' || !m.html, { message: 'Only an email has an HTML body.', path: ['html'] });
type MessageInput = z.output<typeof messageSchema>;

// What the route answers (the OpenAPI document shows it; the server tests check every answer against it).
const skippedJson = z.object({ name: z.string(), code: z.string(), message: z.string() }).strict();
sameShape<SameShape<z.output<typeof skippedJson>, SkippedAttachment>>();
const recordedJson = z
  .object({
    duplicate: z.boolean(),
    messageId: z.string(),
    conversationId: z.string().nullable(),
    contactId: z.string(),
    contactCreated: z.boolean(),
    documents: z.array(documentJson),
    skipped: z.array(skippedJson),
  })
  .strict();
sameShape<SameShape<z.output<typeof recordedJson>, RecordedMessage>>();
/** The message recorded; `avatar` says whether the sender's picture (contact.avatarUrl, social channels) was stored. */
const recordedAnswer = recordedJson
  .extend({ avatar: z.union([z.object({ stored: z.literal(true) }).strict(), z.object({ stored: z.literal(false), code: z.string(), message: z.string() }).strict()]).optional() })
  .strict();
sameShape<SameShape<NonNullable<z.output<typeof recordedAnswer>['avatar']>, SenderAvatarResult>>();

const MAX_JSON_BYTES = JSON_BODY_BYTES;
/** Channels whose sender pictures (`contact.avatarUrl`) are fetched. */
const SOCIAL_CHANNELS = ['facebook', 'instagram', 'whatsapp'] as const;

/** The three bodies a message may come as (the handler reads each itself, by its content type). */
const messageBody = acceptsBody(
  `JSON (at most ${MAX_JSON_BYTES} bytes; attachments by URL, fetched by the server); multipart/form-data with the same JSON in a \`message\` field first and the attachments as file parts after it; or a raw email (message/rfc822, with \`direction\` in the query), whose sender, subject, text and attachments are read from it.`,
  { mediaType: 'application/json', schema: messageSchema },
  { mediaType: 'multipart/form-data', schema: z.object({ message: z.string().describe('The message JSON, as above.'), files: z.array(z.file()).optional().describe('Attachments, one file part each.') }) },
  { mediaType: 'message/rfc822' },
);

const rawQuery = z.object({ direction: z.enum(['inbound', 'outbound']).default('inbound') }).strict();

function parseMessage(value: unknown): MessageInput {
  const parsed = messageSchema.safeParse(value);
  if (!parsed.success) {
    const details = issuePaths(parsed.error.issues);
    throw new ApiError(400, 'validation_failed', `Invalid message: ${details[0]?.path || 'body'}: ${details[0]?.message}`, details);
  }
  return parsed.data;
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
}

/** Per-attachment problems (too large, refused type, fetch failed) skip that attachment, not the message. */
function skippable(err: unknown): err is ApiError {
  return err instanceof ApiError && [413, 415, 422, 502].includes(err.status) && err.code !== 'too_many_files';
}
const skip = (name: string, err: ApiError): SkippedAttachment => ({ name, code: err.code, message: err.message });

const threadRoot = (refs: string | string[] | undefined) => (Array.isArray(refs) ? refs[0] : refs?.split(/\s+/)[0]) || undefined;
const firstAddress = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

/** /api/v1/messages — the host backend (secret key only) records messages and submissions with attachments. */
export function messageRoutes(deps: AppDeps) {
  const docs = documentsOf(deps);
  const limits = documentLimits(deps.config);
  const fetcher = deps.fetcher ?? createSafeFetcher();

  async function fromUrls(ws: string, attachments: MessageInput['attachments'], files: ReceivedFile[], skipped: SkippedAttachment[]) {
    const allowed = await docs.allowedKinds(ws);
    for (const a of attachments) {
      const label = a.name ?? a.url.slice(0, 200);
      try {
        const fetched = await fetcher.fetch(a.url, { maxBytes: limits.maxBytes, timeoutMs: limits.fetchTimeoutMs }).catch((err: unknown) => {
          if (err instanceof FetchRefused) throw new ApiError(err.status === 413 ? 413 : err.status === 502 ? 502 : 422, 'attachment_fetch_failed', err.message);
          throw err;
        });
        try {
          files.push(await receiveFile(deps.blobs, fetched.body, a.name ?? fetched.name, limits, allowed));
        } catch (err) {
          fetched.body.destroy();
          if ((err as { name?: string }).name === 'AbortError' || (err as { code?: string }).code === 'ECONNRESET') {
            throw new ApiError(502, 'attachment_fetch_failed', `Fetching ${label} was cut off or timed out.`);
          }
          throw err;
        }
      } catch (err) {
        if (!skippable(err)) throw err;
        skipped.push(skip(label, err));
      }
    }
  }

  /** A social channel's sender picture, fetched when the contact has none (after the message is recorded). */
  async function senderAvatar(caller: Caller, msg: MessageInput, contactId: string, requestUrl: string): Promise<SenderAvatarResult | null> {
    const url = msg.contact.avatarUrl;
    if (!url || !(SOCIAL_CHANNELS as readonly string[]).includes(msg.channel)) return null;
    const row = await deps.db.selectFrom('contacts').select('avatar_url').where('id', '=', contactId).where('workspace_id', '=', caller.workspace.id).executeTakeFirst();
    if (!row || row.avatar_url !== null) return { stored: false, code: 'has_picture', message: 'The contact already has a picture.' };
    return fetchSenderAvatar(deps, caller, contactId, url, requestUrl);
  }

  return new Hono<Env>()
    .post('/', messageBody, responds(201, recordedAnswer, 'The message recorded.'), responds(200, recordedAnswer, 'A message with this `externalId` was recorded before: nothing new stored, `duplicate: true`.'), fails(415, 'unsupported_media_type'), fails(422, 'invalid_field'), validate('query', rawQuery), async (c) => {
      const caller = c.var.caller;
      const contentType = c.req.header('content-type') ?? '';
      const now = deps.clock.now();
      const files: ReceivedFile[] = [];
      const skipped: SkippedAttachment[] = [];
      try {
        let msg: MessageInput;
        if (/^application\/json\b/i.test(contentType)) {
          const text = await readTextBody(c, MAX_JSON_BYTES);
          msg = parseMessage(jsonOf(text));
          await fromUrls(caller.workspace.id, msg.attachments, files, skipped);
        } else if (/^multipart\/form-data\b/i.test(contentType)) {
          let parsed: MessageInput | null = null;
          let order = 0;
          const allowed = await docs.allowedKinds(caller.workspace.id);
          await readMultipart(contentType, requestBody(c), { fileBytes: limits.maxBytes + 1, files: limits.maxFiles }, {
            field(name, value) {
              if (name !== 'message') return;
              let json: unknown;
              try {
                json = JSON.parse(value);
              } catch {
                throw badRequest('The "message" field is not valid JSON.', { field: 'message' });
              }
              parsed = parseMessage(json);
            },
            async file(_field, filename, stream) {
              if (!parsed) throw badRequest('Send the "message" field before the files.', { field: 'message' });
              const slot = order++;
              try {
                files[slot] = await receiveFile(deps.blobs, stream, filename || 'attachment', limits, allowed);
              } catch (err) {
                if (!skippable(err)) throw err;
                stream.resume();
                skipped.push(skip(filename, err));
              }
            },
          });
          if (!parsed) throw badRequest('The multipart body needs a "message" field (JSON).', { field: 'message' });
          msg = parsed;
          await fromUrls(caller.workspace.id, (msg as MessageInput).attachments, files, skipped);
        } else if (/^message\/rfc822\b/i.test(contentType)) {
          const { direction } = c.req.valid('query');
          msg = await fromRawEmail(requestBody(c), direction, limits.maxEmailBytes, async (name, content) => {
            const allowed = await docs.allowedKinds(caller.workspace.id);
            try {
              files.push(await receiveFile(deps.blobs, Readable.from([content]), name, limits, allowed));
            } catch (err) {
              if (!skippable(err)) throw err;
              skipped.push(skip(name, err));
            }
          });
        } else {
          throw new ApiError(415, 'unsupported_media_type', 'Send application/json, multipart/form-data or message/rfc822.');
        }
        const result = await recordMessage(deps.db, docs, caller, msg, files.filter(Boolean), skipped, now);
        if (!result.duplicate) {
          await publishContacts(deps.db, deps.events, caller.workspace.id, result.contactCreated ? 'contact.created' : 'contact.updated', [result.contactId], result.contactCreated ? {} : { fields: ['lastInteractionAt', 'lastChannel', 'handles'] });
          // The contact's Conversations tab shows it live.
          if (result.conversationId) deps.events?.publish({ type: 'message.created', workspaceId: caller.workspace.id, contactId: result.contactId, id: result.messageId, conversationId: result.conversationId });
        }
        const avatar = await senderAvatar(caller, msg, result.contactId, c.req.url);
        return c.json({ ...result, ...(avatar && { avatar }) }, result.duplicate ? 200 : 201);
      } catch (err) {
        await Promise.all(files.filter(Boolean).map((f) => f.pending.discard()));
        throw err;
      }
    });
}

/** Parses a raw RFC 822 email (bounded in size, parsed in memory) into a message and its attachments. */
async function fromRawEmail(
  body: RequestBody,
  direction: 'inbound' | 'outbound',
  maxBytes: number,
  onAttachment: (name: string, content: Buffer) => Promise<void>,
): Promise<MessageInput> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body.stream.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.stop();
      throw tooLarge(maxBytes, 'email');
    }
    chunks.push(chunk as Buffer);
  }
  const mail = await simpleParser(Buffer.concat(chunks), { skipHtmlToText: false });
  const party = direction === 'inbound' ? firstAddress(mail.from) : firstAddress(mail.to);
  if (!party?.address) throw new ApiError(422, 'invalid_field', `The email has no ${direction === 'inbound' ? 'From' : 'To'} address.`, { field: direction === 'inbound' ? 'from' : 'to' });
  const [firstName, ...rest] = (party.name ?? '').trim().split(/\s+/);
  for (const a of mail.attachments) {
    if (a.related && a.contentDisposition !== 'attachment') continue; // inline images of the HTML body
    await onAttachment(a.filename ?? 'attachment', a.content);
  }
  return {
    channel: 'email',
    direction,
    contact: { email: party.address, firstName: firstName || undefined, lastName: rest.join(' ') || undefined },
    subject: mail.subject,
    text: mail.text?.slice(0, 100_000),
    html: typeof mail.html === 'string' ? mail.html.slice(0, 500_000) : undefined,
    sender: firstAddress(mail.from) ? { name: firstAddress(mail.from)?.name || undefined, address: firstAddress(mail.from)?.address || undefined } : undefined,
    // A reply names the thread's first message in References (else In-Reply-To); a new email starts its own thread.
    threadId: (threadRoot(mail.references) ?? mail.inReplyTo ?? mail.messageId)?.slice(0, 200),
    externalId: mail.messageId?.slice(0, 200),
    at: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.getTime() : undefined,
    attachments: [],
  };
}
