// A real SMTP server on loopback that keeps every message it accepts, parsed, with the links it contains.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';

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
}

const LINK_PATTERN = /https?:\/\/[^\s"'<>]+/g;

export async function startSmtpCapture(behaviour: SmtpBehaviour = {}) {
  const messages: CapturedMessage[] = [];
  const waiters: Array<() => void> = [];

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
          if (behaviour.rejectWith) {
            const error = Object.assign(new Error('Refused by the test SMTP server'), { responseCode: behaviour.rejectWith });
            return callback(error);
          }
          const text = mail.text ?? '';
          const html = typeof mail.html === 'string' ? mail.html : '';
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
          messages.push({
            to,
            from: mail.from?.text ?? '',
            subject: mail.subject ?? '',
            text,
            html,
            links: [...new Set(text.match(LINK_PATTERN) ?? [])],
          });
          waiters.splice(0).forEach((wake) => wake());
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    behaviour,
    messages,
    /** Messages sent to an address (compared case-insensitively). */
    to(address: string) {
      return messages.filter((message) => message.to.toLowerCase().includes(address.toLowerCase()));
    },
    /** Wait until `count` messages to `address` have arrived; fail after `timeoutMs`. */
    async waitFor(address: string, count = 1, timeoutMs = 10000): Promise<CapturedMessage[]> {
      const deadline = Date.now() + timeoutMs;
      while (this.to(address).length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`Expected ${count} message(s) to ${address}, got ${this.to(address).length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return this.to(address);
    },
    clear() {
      messages.length = 0;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type SmtpCapture = Awaited<ReturnType<typeof startSmtpCapture>>;

/** The token a code link carries in its fragment (`…#token=<code>`). */
export function tokenFromLink(link: string) {
  return new URL(link).hash.replace(/^#token=/, '');
}
