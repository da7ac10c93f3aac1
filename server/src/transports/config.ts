// Picks the transports from the environment (main.ts): SMTP when SMTP_URL is set, WhatsApp Cloud API when its
// token and phone number id are set, else the dev outbox for that channel.
import type { Db } from '../db/connection.js';
import type { Clock } from '../deps.js';
import { OutboxTransport } from './outbox.js';
import { SmtpTransport } from './smtp.js';
import type { Transports } from './transport.js';
import { WhatsAppTransport } from './whatsapp.js';

export function transportsFromEnv(env: NodeJS.ProcessEnv, db: Db, clock: Clock): Transports {
  const outbox = new OutboxTransport(db, clock);
  const email = env.SMTP_URL ? new SmtpTransport({ url: env.SMTP_URL, from: env.SMTP_FROM ?? 'Dossier <no-reply@localhost>' }) : outbox;
  const whatsapp =
    env.WHATSAPP_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID
      ? new WhatsAppTransport({
          token: env.WHATSAPP_TOKEN,
          phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
          template: env.WHATSAPP_TEMPLATE ?? 'verification_code',
          apiBase: env.WHATSAPP_API_BASE,
          language: env.WHATSAPP_TEMPLATE_LANGUAGE,
        })
      : outbox;
  return { email, whatsapp };
}

export function describeTransports(t: Transports) {
  return `email via ${t.email.name}, WhatsApp via ${t.whatsapp.name}`;
}
