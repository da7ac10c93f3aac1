// How one-time codes reach a viewer. Each transport either delivers or throws TransportError: a code is never
// reported as sent when it was not.
export type OtpChannel = 'email' | 'whatsapp';

export interface OtpMessage {
  channel: OtpChannel;
  /** Lower-case email, or E.164 phone number. */
  to: string;
  code: string;
  /** What the viewer is opening, for the message text. */
  linkName: string;
  workspaceId: string;
  workspaceName: string;
  expiresMinutes: number;
}

export interface Transport {
  /** A short name for logs: "smtp", "whatsapp-cloud", "outbox". */
  readonly name: string;
  send(message: OtpMessage): Promise<void>;
}

/** One transport per channel, chosen by configuration in main.ts (tests inject their own). */
export interface Transports {
  email: Transport;
  whatsapp: Transport;
}

/** Delivery failed; `retryable` tells the viewer to try again shortly. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export function emailText(m: OtpMessage) {
  return {
    subject: `${m.code} is your code for ${m.linkName}`,
    text: `Your code to open "${m.linkName}" shared by ${m.workspaceName} is ${m.code}.\n\nIt expires in ${m.expiresMinutes} minutes and works once. If you did not ask for it, ignore this message.`,
  };
}
