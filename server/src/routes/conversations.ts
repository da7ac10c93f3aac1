import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { CONVERSATION_CHANNELS, Conversations, type ConversationCursor, type ConversationJson, type MessageJson } from '../domain/conversations.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { responds, sameShape, type SameShape } from '../http/route-meta.js';
import { validate } from '../http/validate.js';
import { documentJson } from '../openapi/schemas/document.js';
import { cursorPage } from '../openapi/schemas/common.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const conversationParam = z.object({ id: z.string().min(1).max(64), conversationId: z.string().min(1).max(64) });
const page = {
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(500).optional(),
};
const listQuery = z.object({ channel: z.enum(CONVERSATION_CHANNELS).optional(), ...page }).strict();
const messagesQuery = z.object(page).strict();

// What the routes answer (the OpenAPI document shows these; the server tests check every answer against them).
const channel = z.enum(CONVERSATION_CHANNELS);
const direction = z.enum(['inbound', 'outbound']);
const conversationJson = z
  .object({
    id: z.string(),
    contactId: z.string(),
    channel,
    threadId: z.string().nullable(),
    subject: z.string().nullable(),
    openedAt: z.number(),
    lastMessageAt: z.number(),
    lastIncomingAt: z.number().nullable(),
    messageCount: z.number().int(),
    incomingCount: z.number().int(),
    lastMessage: z.object({ id: z.string(), direction, preview: z.string(), at: z.number() }).strict().nullable(),
  })
  .strict();
sameShape<SameShape<z.output<typeof conversationJson>, ConversationJson>>();
const messageJson = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    contactId: z.string(),
    channel,
    direction,
    at: z.number(),
    sender: z.object({ name: z.string().nullable(), address: z.string().nullable() }).strict().nullable(),
    subject: z.string().nullable(),
    text: z.string().nullable(),
    html: z.string().nullable(),
    call: z.object({ durationSeconds: z.number().nullable(), recordingUrl: z.string().nullable(), summary: z.string().nullable() }).strict().nullable(),
    documents: z.array(documentJson),
    externalId: z.string().nullable(),
  })
  .strict();
sameShape<SameShape<z.output<typeof messageJson>, MessageJson>>();
const conversationPage = cursorPage(conversationJson);
const messagePage = cursorPage(messageJson);

const isCursor = (v: unknown): v is ConversationCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

/**
 * /api/v1/contacts/:id/conversations — a contact's conversations (latest first, with the last message's preview and
 * counts) and one conversation's messages (newest first), both keyset-paged. Messages come from POST /messages;
 * there is nothing to write here (sending is the host's: the widget's `message-compose` event).
 */
export function conversationRoutes(deps: AppDeps) {
  const conversations = new Conversations(deps.db);
  return new Hono<Env>()
    .get('/:id/conversations', responds(200, conversationPage), validate('param', idParam), validate('query', listQuery), async (c) => {
      const o = c.req.valid('query');
      const result = await conversations.list(c.var.caller, c.req.valid('param').id, { channel: o.channel, limit: o.limit, after: decodeCursor(o.cursor, isCursor) });
      return c.json({ items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null });
    })
    .get('/:id/conversations/:conversationId/messages', responds(200, messagePage), validate('param', conversationParam), validate('query', messagesQuery), async (c) => {
      const { id, conversationId } = c.req.valid('param');
      const o = c.req.valid('query');
      const result = await conversations.messages(c.var.caller, id, conversationId, { limit: o.limit, after: decodeCursor(o.cursor, isCursor) });
      return c.json({ items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null });
    });
}
