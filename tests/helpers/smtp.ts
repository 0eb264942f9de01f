// The SMTP capture (scripts/smtp-capture.js, shared with the demo), typed for the tests.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const capture = require('../../scripts/smtp-capture') as {
  startSmtpCapture(behaviour?: SmtpBehaviour): Promise<SmtpCapture>;
  tokenFromLink(link: string): string;
};

export interface CapturedMessage {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

export interface SmtpBehaviour {
  /** Wait this long before accepting each message. */
  delayMs?: number;
  /** Refuse each message with this SMTP code (e.g. 450, 550). */
  rejectWith?: number;
  /** Refuse (550) the recipients this returns true for. */
  rejectTo?: (address: string) => boolean;
}

export interface SmtpCapture {
  port: number;
  behaviour: SmtpBehaviour;
  messages: CapturedMessage[];
  /** The most messages received at once since the start or the last `clear`: the sender's emails in flight. */
  readonly maxInFlight: number;
  to(address: string): CapturedMessage[];
  waitFor(address: string, count?: number, timeoutMs?: number): Promise<CapturedMessage[]>;
  clear(): void;
  close(): Promise<void>;
}

export const { startSmtpCapture, tokenFromLink } = capture;
