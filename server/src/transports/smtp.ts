// Email over SMTP with nodemailer: SMTP_URL (smtp://user:pass@host:587, smtps://… for TLS) and SMTP_FROM.
import nodemailer, { type Transporter } from 'nodemailer';
import { emailText, TransportError, type OtpMessage, type Transport } from './transport.js';

export interface SmtpOptions {
  url: string;
  from: string;
  /** Accept self-signed certificates (local test servers only). */
  insecureTls?: boolean;
  timeoutMs?: number;
}

export class SmtpTransport implements Transport {
  readonly name = 'smtp';
  private readonly mailer: Transporter;
  constructor(private readonly opts: SmtpOptions) {
    const timeout = opts.timeoutMs ?? 15_000;
    this.mailer = nodemailer.createTransport(opts.url, {
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      ...(opts.insecureTls ? { tls: { rejectUnauthorized: false } } : {}),
    } as never);
  }

  async send(m: OtpMessage): Promise<void> {
    const { subject, text } = emailText(m);
    try {
      await this.mailer.sendMail({ from: this.opts.from, to: m.to, subject, text });
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // 5xx is a permanent refusal of this address; anything else (network, 4xx) may work on a retry.
      throw new TransportError(`SMTP delivery failed: ${(err as Error).message}`, !(code && code >= 500 && code < 600));
    }
  }

  close() {
    this.mailer.close();
  }
}
