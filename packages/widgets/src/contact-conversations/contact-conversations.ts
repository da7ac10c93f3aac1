import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { unwrap } from '../../../core/src/api.js';
import { BusController } from '../../../core/src/bus-controller.js';
import type { BusEvent } from '../../../core/src/client.js';
import { define, DossierElement } from '../../../core/src/dossier-element.js';
import { DocumentOpenEvent, DossierEvent } from '../../../core/src/events.js';
import { formatBytes, formatDateTime, formatRelative } from '../../../core/src/format.js';
import { plural, t } from '../../../core/src/i18n.js';
import type { ContactJson, ConversationJson, DocumentJson, MessageJson } from '../../../core/src/types.js';
import '../../../core/src/ui/dossier-avatar.js';
import '../../../core/src/ui/dossier-state.js';
import { renderNoteText } from '../contact-notes/note-text.js';
import { channelIcon } from './channel-icons.js';
import { styles } from './contact-conversations.styles.js';
import './messages.js';

const PAGE = '30';

/** The user asked to reply on a channel: the host sends through its own provider and pushes the message back. */
export class MessageComposeEvent extends DossierEvent<{ contactId: string; channel: ConversationJson['channel']; conversationId: string; threadId: string | null }> {
  static readonly type = 'message-compose';
  constructor(detail: MessageComposeEvent['detail']) {
    super(MessageComposeEvent.type, detail);
  }
}

/**
 * A contact's conversations across channels (email, SMS, WhatsApp, Instagram, Facebook, calls), from the messages the
 * host pushes to `POST /api/v1/messages`: a thread list by channel and conversation, and the chosen thread's messages
 * as bubbles (received on the contact's side with their picture, sent on the team's), oldest at the top, older pages
 * loading as the list scrolls up. Text keeps its line breaks and links and is never read as HTML; an email's HTML
 * shows as the server sanitized it (or as plain text, at a click). Attachments open in the document preview. New
 * messages arrive live. Sending is the host's: Reply fires `message-compose`.
 *
 * @element contact-conversations
 * @attr contact-id - The contact whose conversations are shown.
 * @attr conversation-id - The conversation shown (default: the one with the latest message); set by a click too.
 * @attr theme - `light`, `dark` or `auto` (inherits the provider's).
 * @prop {ConversationJson[]} conversations - The loaded conversations (set by the element; may be set to render without a server).
 * @prop {MessageJson[]} messages - The shown conversation's loaded messages, newest first (likewise).
 * @prop {ContactJson | null} contact - The contact (its name and `avatarUrl` show beside received messages).
 * @fires message-compose - Reply was chosen: `detail.contactId`, `detail.channel`, `detail.conversationId`, `detail.threadId`.
 * @fires document-open - An attachment was opened in the preview: `detail.contactId`, `detail.documentId`.
 * @fires dossier-error - A failure the widget is showing: `detail.error`, `detail.action`.
 * @csspart threads - The conversation list.
 * @csspart thread - Each conversation in it.
 * @csspart header - The shown conversation's header (channel, Reply).
 * @csspart reply - The Reply button.
 * @csspart log - The messages.
 * @csspart message - Each message.
 * @csspart bubble - A message's bubble.
 * @csspart attachment - An attachment's button.
 * @csspart preview - The attachment preview.
 * @cssprop --contact-conversations-height - Height of the two panes (default: 560px).
 */
export class ContactConversations extends DossierElement {
  static override styles = styles;

  @property({ attribute: 'contact-id', reflect: true }) contactId = '';
  @property({ attribute: 'conversation-id', reflect: true }) conversationId = '';
  @property({ attribute: false }) conversations: ConversationJson[] = [];
  @property({ attribute: false }) messages: MessageJson[] = [];
  @property({ attribute: false }) contact: ContactJson | null = null;

  @state() private status: 'idle' | 'loading' | 'error' = 'idle';
  @state() private loadError = '';
  @state() private thread: 'idle' | 'loading' | 'error' = 'idle';
  @state() private threadError = '';
  @state() private nextCursor: string | null = null;
  @state() private olderBusy = false;
  @state() private olderError = '';
  @state() private asText = new Set<string>();
  @state() private preview: DocumentJson | null = null;
  @state() private announce = '';
  /** Narrow hosts show the list or one thread; this says which. */
  @state() private showList = false;

  private request = 0;
  private threadRequest = 0;
  private stickToBottom = true;

  // A message pushed for this contact (by the host's backend) shows at once.
  private bus = new BusController(this, () => this.dossier, (e: BusEvent) => {
    if (e.type === 'contact-item' && e.event.contactId === this.contactId && e.event.type === 'message.created') void this.arrived(e.event.conversationId);
    else if (e.type === 'live-resumed') void this.arrived(this.conversationId);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('contactId') && changed.get('contactId') !== undefined) {
      this.conversationId = '';
      this.messages = [];
      this.conversations = [];
      this.preview = null;
    }
    if ((changed.has('contactId') || changed.has('dossier' as keyof ContactConversations)) && this.dossier && this.contactId) void this.load();
    else if (changed.has('conversationId') && changed.get('conversationId') !== undefined && this.dossier && this.conversationId) void this.loadThread();
  }

  protected override updated(): void {
    // Opened, or a new message while reading the latest: the newest message stays in view.
    const log = this.log;
    if (log && this.stickToBottom) log.scrollTop = log.scrollHeight;
  }

  private get log() {
    return this.renderRoot.querySelector<HTMLElement>('.log');
  }

  private get current(): ConversationJson | undefined {
    return this.conversations.find((c) => c.id === this.conversationId);
  }

  /** The conversation list and the contact; then the chosen (or latest) conversation's newest messages. */
  private async load(quiet = false) {
    const client = this.dossier;
    const id = this.contactId;
    if (!client || !id) return;
    const seq = ++this.request;
    if (!quiet) this.status = 'loading';
    try {
      const [list, contact] = await Promise.all([
        unwrap(client.api.api.v1.contacts[':id'].conversations.$get({ param: { id }, query: { limit: '100' } })),
        unwrap(client.api.api.v1.contacts[':id'].$get({ param: { id } })),
      ]);
      if (seq !== this.request) return;
      this.contact = contact as ContactJson;
      this.conversations = list.items as ConversationJson[];
      this.status = 'idle';
      this.loadError = '';
      const before = this.conversationId;
      if (!this.current) this.conversationId = this.conversations[0]?.id ?? '';
      // A conversation chosen here loads through willUpdate (the id changed); the same one is read again here.
      if (this.conversationId && this.conversationId === before && (!quiet || !this.messages.length)) await this.loadThread();
    } catch (err) {
      if (seq !== this.request) return;
      this.status = 'error';
      this.loadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  private async loadThread() {
    const client = this.dossier;
    const conversationId = this.conversationId;
    if (!client || !conversationId) return;
    const seq = ++this.threadRequest;
    this.thread = 'loading';
    this.olderError = '';
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].conversations[':conversationId'].messages.$get({ param: { id: this.contactId, conversationId }, query: { limit: PAGE } }));
      if (seq !== this.threadRequest) return;
      this.messages = page.items as MessageJson[];
      this.nextCursor = page.nextCursor;
      this.thread = 'idle';
      this.stickToBottom = true;
    } catch (err) {
      if (seq !== this.threadRequest) return;
      this.thread = 'error';
      this.threadError = (err as Error).message;
      this.reportError(err as Error, 'load');
    }
  }

  /** Older messages, above the ones shown, keeping the reader's place. */
  private async loadOlder() {
    const client = this.dossier;
    const cursor = this.nextCursor;
    if (!client || !cursor || this.olderBusy) return;
    const seq = this.threadRequest;
    this.olderBusy = true;
    this.olderError = '';
    const log = this.log;
    const fromBottom = log ? log.scrollHeight - log.scrollTop : 0;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].conversations[':conversationId'].messages.$get({ param: { id: this.contactId, conversationId: this.conversationId }, query: { limit: PAGE, cursor } }));
      if (seq !== this.threadRequest) return;
      const known = new Set(this.messages.map((m) => m.id));
      this.stickToBottom = false;
      this.messages = [...this.messages, ...(page.items as MessageJson[]).filter((m) => !known.has(m.id))];
      this.nextCursor = page.nextCursor;
      await this.updateComplete;
      if (log) log.scrollTop = log.scrollHeight - fromBottom;
    } catch (err) {
      this.olderError = (err as Error).message;
      this.reportError(err as Error, 'load');
    } finally {
      this.olderBusy = false;
    }
  }

  /** A message arrived: the list moves; the open thread gains it (without losing older pages already read). */
  private async arrived(conversationId: string | undefined) {
    const client = this.dossier;
    if (!client || !this.contactId) return;
    const log = this.log;
    const atBottom = !log || log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    await this.load(true);
    if (!conversationId || conversationId !== this.conversationId || this.thread !== 'idle') return;
    try {
      const page = await unwrap(client.api.api.v1.contacts[':id'].conversations[':conversationId'].messages.$get({ param: { id: this.contactId, conversationId }, query: { limit: PAGE } }));
      if (conversationId !== this.conversationId) return;
      const known = new Set(this.messages.map((m) => m.id));
      const fresh = (page.items as MessageJson[]).filter((m) => !known.has(m.id));
      if (!fresh.length) return;
      this.stickToBottom = atBottom;
      this.messages = [...fresh, ...this.messages].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
      this.announce = plural('conversations.new', fresh.length);
    } catch (err) {
      this.reportError(err as Error, 'load');
    }
  }

  private select(c: ConversationJson, focus = false) {
    this.showList = false;
    if (c.id !== this.conversationId) {
      this.messages = [];
      this.nextCursor = null;
      this.conversationId = c.id;
    }
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-thread="${c.id}"]`)?.focus());
  }

  /** Arrow keys move through the conversation list (and open each), Home / End to the ends. */
  private onThreadKey(e: KeyboardEvent) {
    const i = this.conversations.findIndex((c) => c.id === this.conversationId);
    const last = this.conversations.length - 1;
    const next = { ArrowDown: i + 1, ArrowRight: i + 1, ArrowUp: i - 1, ArrowLeft: i - 1, Home: 0, End: last }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const c = this.conversations[Math.max(0, Math.min(last, next))];
    if (c) this.select(c, true);
  }

  private onScroll(e: Event) {
    const log = e.target as HTMLElement;
    this.stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    if (log.scrollTop < 60 && this.nextCursor && !this.olderBusy && !this.olderError) void this.loadOlder();
  }

  private reply() {
    const c = this.current;
    if (c) this.dispatchEvent(new MessageComposeEvent({ contactId: this.contactId, channel: c.channel, conversationId: c.id, threadId: c.threadId }));
  }

  private async openAttachment(d: DocumentJson) {
    await import('../contact-documents/document-preview.js');
    this.preview = d;
    this.dispatchEvent(new DocumentOpenEvent({ contactId: d.contactId, documentId: d.id }));
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('documents-preview')?.focus();
  }

  private async closePreview() {
    const id = this.preview?.id;
    this.preview = null;
    await this.updateComplete;
    if (id) this.renderRoot.querySelector<HTMLElement>(`[data-document="${id}"]`)?.focus();
  }

  private async download(d: DocumentJson) {
    try {
      const { url } = await unwrap(this.dossier!.api.api.v1.documents[':id'].link.$post({ param: { id: d.id }, json: {} }));
      const a = document.createElement('a');
      a.href = url;
      a.download = '';
      a.rel = 'noopener';
      a.click();
    } catch (err) {
      this.reportError(err as Error, 'download-document');
    }
  }

  protected override render() {
    if (this.contactId && !this.dossier && !this.conversations.length && !this.contact) {
      return html`<dossier-state kind="error" message=${t('state.noProvider')}></dossier-state>`;
    }
    if (this.status === 'loading' && !this.conversations.length) return html`<dossier-state kind="loading"></dossier-state>`;
    if (this.status === 'error') return html`<dossier-state kind="error" message=${this.loadError} retryable @retry=${() => this.load()}></dossier-state>`;
    if (!this.conversations.length) return html`<p class="empty" role="status">${t('conversations.empty')}</p>`;
    const current = this.current;
    return html`<div class="panes ${this.showList ? 'list-open' : ''}">
        ${this.renderThreads()} ${current ? this.renderThread(current) : nothing}
      </div>
      ${this.preview
        ? html`<div class="preview" part="preview" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.closePreview()}>
            <documents-preview .client=${this.dossier} .document=${this.preview} @close=${this.closePreview} @download=${() => this.download(this.preview!)}></documents-preview>
          </div>`
        : nothing}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announce}</div>`;
  }

  private renderThreads() {
    return html`<div class="threads" part="threads" role="listbox" aria-label=${t('conversations.threads')} @keydown=${this.onThreadKey}>
      ${this.conversations.map((c) => {
        const selected = c.id === this.conversationId;
        const last = c.lastMessage;
        const preview = last ? (last.direction === 'outbound' ? t('conversations.you', { text: last.preview || t('conversations.noText') }) : last.preview || t('conversations.noText')) : '';
        return html`<div
          class="thread ${c.lastIncomingAt !== null && last?.direction === 'inbound' ? 'awaiting' : ''}"
          part="thread"
          role="option"
          data-thread=${c.id}
          data-channel=${c.channel}
          aria-selected=${selected ? 'true' : 'false'}
          tabindex=${selected ? 0 : -1}
          @click=${() => this.select(c)}
          @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), this.select(c))}
        >
          <span class="channel" title=${t(`conversations.channel.${c.channel}`)}>${channelIcon(c.channel)}</span>
          <span class="thread-main">
            <span class="thread-top"><strong>${c.subject ?? t(`conversations.channel.${c.channel}`)}</strong>
              <time datetime=${new Date(c.lastMessageAt).toISOString()} title=${formatDateTime(c.lastMessageAt)}>${formatRelative(c.lastMessageAt)}</time></span>
            <span class="thread-preview">${preview}</span>
            <span class="thread-meta">${c.subject ? html`${t(`conversations.channel.${c.channel}`)} · ` : nothing}${plural('conversations.count', c.messageCount)}</span>
          </span>
        </div>`;
      })}
    </div>`;
  }

  private renderThread(c: ConversationJson) {
    const channel = t(`conversations.channel.${c.channel}`);
    // Shown oldest first, as a chat reads.
    const ordered = [...this.messages].reverse();
    return html`<section class="thread-view" aria-label=${t('conversations.messages', { channel })}>
      <header part="header">
        <button class="btn back" @click=${() => { this.showList = true; void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.thread[aria-selected=true]')?.focus()); }}>‹ ${t('conversations.back')}</button>
        <span class="channel">${channelIcon(c.channel)}</span>
        <h3>${c.subject ?? channel}</h3>
        <button class="btn primary" part="reply" @click=${this.reply}>${t('conversations.replyOn', { channel })}</button>
      </header>
      ${this.thread === 'error'
        ? html`<dossier-state kind="error" message=${t('conversations.failed', { message: this.threadError })} retryable @retry=${() => this.loadThread()}></dossier-state>`
        : this.thread === 'loading' && !this.messages.length
          ? html`<dossier-state kind="loading"></dossier-state>`
          : html`<div class="log" part="log" role="log" tabindex="0" aria-label=${t('conversations.messages', { channel })} @scroll=${this.onScroll}>
              ${this.nextCursor
                ? html`<button class="btn older" ?disabled=${this.olderBusy} @click=${() => { this.olderError = ''; void this.loadOlder(); }}>${this.olderBusy ? t('conversations.loadingOlder') : t('conversations.older')}</button>`
                : this.messages.length ? html`<p class="start">${t('conversations.start')}</p>` : html`<p class="empty">${t('conversations.emptyThread')}</p>`}
              ${this.olderError ? html`<p class="field-error" role="alert">${this.olderError}</p>` : nothing}
              <ol class="messages">${ordered.map((m) => this.renderMessage(m))}</ol>
            </div>`}
    </section>`;
  }

  private renderMessage(m: MessageJson) {
    const inbound = m.direction === 'inbound';
    const contactName = this.contact?.name || m.sender?.name || m.sender?.address || '';
    const who = inbound ? m.sender?.name || contactName : m.sender?.name || t('conversations.team');
    const showText = !m.html || this.asText.has(m.id);
    return html`<li class="message ${inbound ? 'in' : 'out'}" part="message" data-message=${m.id}>
      ${inbound ? html`<dossier-avatar class="avatar" .name=${contactName || who} .src=${this.contact?.avatarUrl ?? null}></dossier-avatar>` : nothing}
      <div class="bubble" part="bubble">
        <div class="meta">
          <strong>${who}</strong>${m.sender?.address && m.sender.address !== who ? html` <span class="address">${m.sender.address}</span>` : nothing}
          <span class="visually-hidden">${t(inbound ? 'conversations.inbound' : 'conversations.outbound')}</span>
          <time datetime=${new Date(m.at).toISOString()} title=${formatDateTime(m.at)}>${formatDateTime(m.at)}</time>
        </div>
        ${m.subject ? html`<p class="subject">${m.subject}</p>` : nothing}
        ${m.call ? this.renderCall(m) : nothing}
        ${showText
          ? m.text ? html`<p class="text" dir="auto">${renderNoteText(m.text)}</p>` : nothing
          : // Sanitized by the server (an allow-list of structure and text); never the HTML as received.
            html`<div class="html">${unsafeHTML(m.html!)}</div>`}
        ${m.html
          ? html`<button class="link toggle" @click=${() => this.toggleText(m.id)}>${showText ? t('conversations.asHtml') : t('conversations.asText')}</button>`
          : nothing}
        ${m.documents.length
          ? html`<ul class="attachments" aria-label=${t('conversations.attachments')}>
              ${m.documents.map(
                (d) => html`<li><button class="attachment" part="attachment" data-document=${d.id} title=${t('conversations.openAttachment', { name: d.name })} @click=${() => this.openAttachment(d)}>
                  ${channelIcon('attachment')}<span class="name" dir="auto">${d.name}</span> <span class="size">${formatBytes(d.size)}</span></button></li>`,
              )}
            </ul>`
          : nothing}
      </div>
    </li>`;
  }

  private renderCall(m: MessageJson) {
    const call = m.call!;
    const secs = call.durationSeconds;
    const duration = secs === null ? '' : t('conversations.call.duration', { minutes: String(Math.floor(secs / 60)), seconds: String(secs % 60).padStart(2, '0') });
    return html`<p class="call">${channelIcon('call')} ${t(m.direction === 'inbound' ? 'conversations.call.inbound' : 'conversations.call.outbound')}${duration ? ` · ${duration}` : ''}
        ${call.recordingUrl ? html` · <a href=${call.recordingUrl} target="_blank" rel="noopener noreferrer">${t('conversations.call.recording')}</a>` : nothing}</p>
      ${call.summary ? html`<p class="text" dir="auto">${renderNoteText(call.summary)}</p>` : nothing}`;
  }

  private toggleText(id: string) {
    const next = new Set(this.asText);
    if (!next.delete(id)) next.add(id);
    this.asText = next;
    this.stickToBottom = false;
  }
}

define('contact-conversations', ContactConversations);

declare global {
  interface HTMLElementTagNameMap {
    'contact-conversations': ContactConversations;
  }
  interface HTMLElementEventMap {
    'message-compose': MessageComposeEvent;
  }
}
