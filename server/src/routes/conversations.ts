import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../deps.js';
import { CONVERSATION_CHANNELS, Conversations, type ConversationCursor } from '../domain/conversations.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import type { Env } from '../http/env.js';
import { validate } from '../http/validate.js';

const idParam = z.object({ id: z.string().min(1).max(64) });
const conversationParam = z.object({ id: z.string().min(1).max(64), conversationId: z.string().min(1).max(64) });
const page = {
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(500).optional(),
};
const listQuery = z.object({ channel: z.enum(CONVERSATION_CHANNELS).optional(), ...page }).strict();
const messagesQuery = z.object(page).strict();

const isCursor = (v: unknown): v is ConversationCursor => Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'string';

/**
 * /api/v1/contacts/:id/conversations — a contact's conversations (latest first, with the last message's preview and
 * counts) and one conversation's messages (newest first), both keyset-paged. Messages come from POST /messages;
 * there is nothing to write here (sending is the host's: the widget's `message-compose` event).
 */
export function conversationRoutes(deps: AppDeps) {
  const conversations = new Conversations(deps.db);
  return new Hono<Env>()
    .get('/:id/conversations', validate('param', idParam), validate('query', listQuery), async (c) => {
      const o = c.req.valid('query');
      const result = await conversations.list(c.var.caller, c.req.valid('param').id, { channel: o.channel, limit: o.limit, after: decodeCursor(o.cursor, isCursor) });
      return c.json({ items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null });
    })
    .get('/:id/conversations/:conversationId/messages', validate('param', conversationParam), validate('query', messagesQuery), async (c) => {
      const { id, conversationId } = c.req.valid('param');
      const o = c.req.valid('query');
      const result = await conversations.messages(c.var.caller, id, conversationId, { limit: o.limit, after: decodeCursor(o.cursor, isCursor) });
      return c.json({ items: result.items, nextCursor: result.next ? encodeCursor(result.next) : null });
    });
}
