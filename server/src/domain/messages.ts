// Records a message (or form/survey submission) on a contact's timeline with its attachments as documents.
import type { Db } from '../db/connection.js';
import { engineOf } from '../db/engine/index.js';
import type { DocumentOrigin } from '../db/schema.js';
import type { Caller } from '../http/env.js';
import { newId } from '../ids.js';
import { documentJson, type DocumentJson, type Documents } from './documents.js';
import { applyTouch, touchOf } from './attribution.js';
import { nextVersion } from './contacts.js';
import { fileInConversation, isConversationChannel, type MessageData } from './conversations.js';
import { findOrCreateContact, type ContactIdentity } from './message-contacts.js';
import type { ReceivedFile } from './receive-file.js';
import { interactionEvent } from './webhook-events.js';
import { enqueueWebhook } from './webhook-outbox.js';

export const CHANNELS = ['email', 'sms', 'whatsapp', 'instagram', 'facebook', 'call', 'form', 'survey'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface IncomingMessage {
  channel: Channel;
  direction: 'inbound' | 'outbound';
  contact: ContactIdentity;
  subject?: string;
  text?: string;
  /** An email's HTML body: stored as received, served only sanitized. */
  html?: string;
  /** Who sent it as the host names them (an email's From; the agent who replied). */
  sender?: { name?: string; address?: string };
  /** The host's thread or conversation id (an email thread): messages with the same one share a conversation. */
  threadId?: string;
  /** A call: its length, a recording's address and a summary or transcript. */
  call?: { durationSeconds?: number; recordingUrl?: string; summary?: string };
  form?: string;
  externalId?: string;
  at?: number;
}

export interface SkippedAttachment {
  name: string;
  code: string;
  message: string;
}

export interface RecordedMessage {
  /** True when this external id was recorded before: nothing new was stored. */
  duplicate: boolean;
  messageId: string;
  /** The conversation it was filed in (null for form and survey submissions). */
  conversationId: string | null;
  contactId: string;
  contactCreated: boolean;
  documents: DocumentJson[];
  skipped: SkippedAttachment[];
}

export async function recordMessage(
  db: Db,
  docs: Documents,
  caller: Caller,
  msg: IncomingMessage,
  files: ReceivedFile[],
  skipped: SkippedAttachment[],
  now: number,
): Promise<RecordedMessage> {
  if (msg.externalId) {
    const seen = await db
      .selectFrom('activities')
      .select(['id', 'contact_id', 'conversation_id'])
      .where('workspace_id', '=', caller.workspace.id)
      .where('channel', '=', msg.channel)
      .where(engineOf(db).json.text('data', ['externalId']), '=', msg.externalId)
      .executeTakeFirst();
    if (seen) {
      await Promise.all(files.map((f) => f.pending.discard()));
      const rows = await db.selectFrom('documents').selectAll().where('message_id', '=', seen.id).where('workspace_id', '=', caller.workspace.id).orderBy('created_at').execute();
      return { duplicate: true, messageId: seen.id, conversationId: seen.conversation_id, contactId: seen.contact_id, contactCreated: false, documents: rows.map(documentJson), skipped: [] };
    }
  }
  const { contactId, created } = await findOrCreateContact(db, caller, msg.channel, msg.contact, now);
  const at = msg.at ?? now;
  const messageId = newId('msg_');
  const isSubmission = msg.channel === 'form' || msg.channel === 'survey';
  const conversational = isConversationChannel(msg.channel);
  let conversationId: string | null = null;
  const summary = (msg.subject?.trim() || msg.text?.trim().slice(0, 140) || msg.call?.summary?.trim().slice(0, 140) || (msg.channel === 'call' ? `Call (${msg.direction})` : '') || (isSubmission ? `${msg.form ?? msg.channel} submitted` : '')) ||
    `${files.length} attachment${files.length === 1 ? '' : 's'}`;

  // An inbound message is a touch (attribution: first / latest interaction) through its channel.
  const touch = msg.direction === 'inbound' ? touchOf({ channel: msg.channel }, msg.channel, messageId, at) : null;
  const writeMessage = async (trx: Db, documents: DocumentJson[]) => {
    await trx
      .insertInto('activities')
      .values({
        id: messageId,
        workspace_id: caller.workspace.id,
        contact_id: contactId,
        kind: isSubmission ? `${msg.channel}_submission` : 'message',
        channel: msg.channel,
        direction: msg.direction,
        summary,
        data: JSON.stringify(messageData(msg, documents, skipped)),
        at,
        attribution: touch && JSON.stringify(touch),
      })
      .execute();
    if (conversational) {
      conversationId = await fileInConversation(trx, { workspaceId: caller.workspace.id, contactId, channel: msg.channel as 'email', threadId: msg.threadId, subject: msg.subject, messageId, direction: msg.direction, at });
      await trx.updateTable('activities').set({ conversation_id: conversationId }).where('id', '=', messageId).execute();
    }
    if (touch) await applyTouch(trx, caller.workspace.id, contactId, touch);
    const contact = await trx.selectFrom('contacts').select(['last_interaction_at', 'last_incoming_at']).where('id', '=', contactId).executeTakeFirstOrThrow();
    // A late-arriving older message must not move "last interaction" backwards.
    if (contact.last_interaction_at === null || at >= contact.last_interaction_at) {
      await trx.updateTable('contacts').set({ last_interaction_at: at, last_channel: msg.channel, version: nextVersion }).where('id', '=', contactId).execute();
    }
    // "Time since last incoming message" counts messages, not form or survey submissions.
    if (conversational && msg.direction === 'inbound' && (contact.last_incoming_at === null || at >= contact.last_incoming_at)) {
      await trx.updateTable('contacts').set({ last_incoming_at: at }).where('id', '=', contactId).execute();
    }
    // A message in or out (and the documents it brought) is an interaction the contact's owner and followers hear of.
    await enqueueWebhook(trx, caller.workspace.id, 'contact.interaction', () =>
      interactionEvent(trx, caller.workspace.id, contactId, now, {
        occurredAt: at,
        kind: isSubmission ? `${msg.channel}_submission` : 'message',
        channel: msg.channel,
        direction: msg.direction,
        messageId,
        summary,
        subject: msg.subject ?? null,
        externalId: msg.externalId ?? null,
        documents: documents.map((d) => ({ id: d.id, name: d.name, kind: d.kind, size: d.size })),
      }),
    );
  };

  let documents: DocumentJson[] = [];
  if (files.length) {
    documents = await docs.create(
      caller,
      contactId,
      files,
      {
        section: msg.direction === 'outbound' ? 'sent' : 'received',
        // A call's files (a recording) have no origin of their own in the vault: they count as uploads.
        origin: (msg.channel === 'call' ? 'upload' : msg.channel) as DocumentOrigin,
        formName: isSubmission ? (msg.form ?? null) : null,
        messageId,
      },
      now,
      writeMessage,
    );
  } else {
    await db.transaction().execute((trx) => writeMessage(trx, []));
  }
  return { duplicate: false, messageId, conversationId, contactId, contactCreated: created, documents, skipped };
}

/** What a message stores in activities.data (the conversation view reads it back). */
function messageData(msg: IncomingMessage, documents: DocumentJson[], skipped: SkippedAttachment[]): MessageData {
  const sender = msg.sender && (msg.sender.name?.trim() || msg.sender.address?.trim()) ? { name: msg.sender.name?.trim() || null, address: msg.sender.address?.trim() || null } : null;
  return {
    subject: msg.subject ?? null,
    text: msg.text ?? null,
    ...(msg.html && { html: msg.html }),
    form: msg.form ?? null,
    externalId: msg.externalId ?? null,
    documentIds: documents.map((d) => d.id),
    skipped,
    ...(sender && { sender }),
    ...(msg.threadId && { threadId: msg.threadId }),
    ...(msg.call && { call: { durationSeconds: msg.call.durationSeconds ?? null, recordingUrl: msg.call.recordingUrl ?? null, summary: msg.call.summary ?? null } }),
  };
}
