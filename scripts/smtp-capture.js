// A real SMTP server on loopback that keeps every message it accepts, parsed, with the links it contains.
// Used by the test harness (tests/helpers/smtp.ts) and by `npm run demo`.
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const LINK_PATTERN = /https?:\/\/[^\s"'<>]+/g;

/**
 * @param {{ delayMs?: number, rejectWith?: number, rejectTo?: (address: string) => boolean, port?: number, onMessage?: (message: object) => void }} behaviour
 *   rejectWith refuses every message with that SMTP code; rejectTo refuses (550) the recipients it returns true for.
 */
async function startSmtpCapture(behaviour = {}) {
  const messages = [];
  const waiters = [];
  // Messages being received at once, now and at most so far (the sender's emails in flight).
  const load = { now: 0, max: 0 };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    // On close, connections still open (a stopped Strapi's pool) are dropped after 1 s, not smtp-server's 30.
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      if (behaviour.rejectTo && behaviour.rejectTo(address.address)) {
        return callback(Object.assign(new Error(`Mailbox ${address.address} refused by the test SMTP server`), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      load.max = Math.max(load.max, ++load.now);
      const done = (error) => {
        load.now--;
        callback(error);
      };
      simpleParser(stream)
        .then(async (mail) => {
          // Unref'd: a message held back must not keep the process alive once everything else has stopped.
          if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs).unref());
          if (behaviour.rejectWith) {
            return done(Object.assign(new Error('Refused by the test SMTP server'), { responseCode: behaviour.rejectWith }));
          }
          const text = mail.text || '';
          const message = {
            to: []
              .concat(mail.to || [])
              .map((address) => address.text)
              .join(', '),
            from: (mail.from && mail.from.text) || '',
            subject: mail.subject || '',
            text,
            html: typeof mail.html === 'string' ? mail.html : '',
            links: [...new Set(text.match(LINK_PATTERN) || [])],
          };
          messages.push(message);
          if (behaviour.onMessage) behaviour.onMessage(message);
          waiters.splice(0).forEach((wake) => wake());
          done();
        })
        .catch(done);
    },
  });
  // A client that goes away mid-conversation (a Strapi being stopped) is no failure of the server.
  server.on('error', () => {});
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(behaviour.port || 0, '127.0.0.1', resolve);
  });

  const to = (address) => messages.filter((message) => message.to.toLowerCase().includes(address.toLowerCase()));

  return {
    port: server.server.address().port,
    behaviour,
    messages,
    to,
    /** The most messages received at once since the start or the last `clear`. */
    get maxInFlight() {
      return load.max;
    },
    /** Wait until `count` messages to `address` have arrived; fail after `timeoutMs`. */
    async waitFor(address, count = 1, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      while (to(address).length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`Expected ${count} message(s) to ${address}, got ${to(address).length}`);
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return to(address);
    },
    clear() {
      messages.length = 0;
      load.max = load.now;
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The token a code link carries in its fragment (`…#token=<code>`). */
const tokenFromLink = (link) => new URL(link).hash.replace(/^#token=/, '');

module.exports = { startSmtpCapture, tokenFromLink };
