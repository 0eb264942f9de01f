module.exports = ({ env }) => ({
  host: env('HOST', '127.0.0.1'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // PROXY=true trusts X-Forwarded-For, as behind a reverse proxy (the flood benchmark sends from many client IPs).
  proxy: { koa: env.bool('PROXY', false) },
  app: { keys: env.array('APP_KEYS', ['playgroundKeyA', 'playgroundKeyB']) },
});
