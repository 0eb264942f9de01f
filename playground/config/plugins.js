// Loads the plugin from this repository (its built `dist/`), and sends mail through nodemailer to SMTP_HOST:SMTP_PORT.
// PASSWORD_RESET_CONFIG (JSON) overrides the plugin's options; the tests use it.
const net = require('net');
const path = require('path');

/**
 * nodemailer's `getSocket`: a connection opened here, with TCP_NODELAY. It never passes an error to `callback`: in a
 * pool (`pool: true`) that fails the message but leaves the pool's slot dead for good, and after `maxConnections`
 * refusals nothing is sent again until a restart. On a failed or slow connect it answers with no socket instead, so
 * that nodemailer connects by itself (Nagle on, for that one connection) and a failure takes its own path, which
 * frees the slot (README, "Sending in bulk").
 */
function noDelaySocket(options, callback) {
  const socket = net.connect({ host: options.host, port: options.port, noDelay: true });
  let answered = false;
  const answer = (result) => {
    if (answered) return;
    answered = true;
    socket.removeListener('error', fallBack);
    socket.setTimeout(0);
    callback(null, result);
  };
  const fallBack = () => {
    socket.destroy();
    answer({});
  };
  socket.once('error', fallBack);
  socket.setTimeout(options.connectionTimeout || 30000, fallBack);
  socket.once('connect', () => answer({ connection: socket }));
}

module.exports = ({ env }) => ({
  'password-reset': {
    // PASSWORD_RESET_ENABLED=false boots the playground without the plugin (the benchmarks compare boot times).
    enabled: env.bool('PASSWORD_RESET_ENABLED', true),
    // PASSWORD_RESET_PATH loads another build of the plugin (the upgrade test boots the previous release first).
    resolve: env('PASSWORD_RESET_PATH', path.resolve(__dirname, '..', '..')),
    config: { siteName: 'Playground', ...JSON.parse(env('PASSWORD_RESET_CONFIG', '{}')) },
  },
  'users-permissions': {
    // UP_ENABLED=false boots without users-permissions (the plugin must then refuse to start).
    enabled: env.bool('UP_ENABLED', true),
    config: {
      jwtSecret: env('JWT_SECRET', 'playground-users-permissions-jwt-secret'),
      // 'refresh' turns on users-permissions' session manager (short access tokens, revocable refresh tokens).
      jwtManagement: env('UP_JWT_MANAGEMENT', 'legacy-support'),
      ratelimit: { enabled: env.bool('UP_RATE_LIMIT', true) },
    },
  },
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: {
        host: env('SMTP_HOST', '127.0.0.1'),
        port: env.int('SMTP_PORT', 2525),
        secure: false,
        ignoreTLS: true,
        // SMTP_POOL keeps connections open between messages (the benchmarks' bulk sends use it).
        pool: env.bool('SMTP_POOL', false),
        maxConnections: env.int('SMTP_MAX_CONNECTIONS', 5),
        // SMTP_NO_DELAY gives nodemailer sockets that send each write at once: with Nagle's algorithm on (nodemailer's
        // default) the end of each message waits for the server's delayed ACK, up to 40 ms a message per connection
        // (README, "Sending in bulk").
        ...(env.bool('SMTP_NO_DELAY', false) ? { getSocket: noDelaySocket } : {}),
      },
      settings: {
        defaultFrom: env('EMAIL_FROM', 'Playground <no-reply@playground.test>'),
        defaultReplyTo: env('EMAIL_FROM', 'no-reply@playground.test'),
      },
    },
  },
});
