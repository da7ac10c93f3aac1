// WhatsApp Cloud API: an "authentication" template message carrying the code (body parameter and the
// copy-code button). WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_TEMPLATE, WHATSAPP_API_BASE.
import { TransportError, type OtpMessage, type Transport } from './transport.js';

export interface WhatsAppOptions {
  token: string;
  phoneNumberId: string;
  template: string;
  /** Default https://graph.facebook.com/v21.0; tests point it at a local fake Graph API. */
  apiBase?: string;
  language?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_GRAPH_BASE = 'https://graph.facebook.com/v21.0';

/** The request body the Cloud API expects for an authentication template with a copy-code button. */
export function templateBody(opts: Pick<WhatsAppOptions, 'template' | 'language'>, to: string, code: string) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: to.replace(/^\+/, ''),
    type: 'template',
    template: {
      name: opts.template,
      language: { code: opts.language ?? 'en_US' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: code }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: code }] },
      ],
    },
  };
}

export class WhatsAppTransport implements Transport {
  readonly name = 'whatsapp-cloud';
  constructor(private readonly opts: WhatsAppOptions) {}

  async send(m: OtpMessage): Promise<void> {
    const base = (this.opts.apiBase ?? DEFAULT_GRAPH_BASE).replace(/\/$/, '');
    const doFetch = this.opts.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(`${base}/${encodeURIComponent(this.opts.phoneNumberId)}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(templateBody(this.opts, m.to, m.code)),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new TransportError(`WhatsApp Cloud API unreachable: ${(err as Error).message}`);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      // 4xx other than rate limiting is a request the API will keep refusing (bad number, template, token).
      throw new TransportError(`WhatsApp Cloud API answered ${res.status}: ${text.slice(0, 300)}`, res.status === 429 || res.status >= 500);
    }
    await res.body?.cancel().catch(() => undefined);
  }
}
