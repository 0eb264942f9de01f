// The playground's own start-up: it makes sure the users-permissions roles the plugin's rules are about exist,
// with the same API permissions as the default "Authenticated" role (so their holders can use /users/me,
// change-password, …). It also gives accounts a custom field, as sites do, that email templates may use.
const ROLES = [
  { type: 'owner', name: 'Owner', description: 'Owns the site. Only another owner may reset this account.' },
  { type: 'administrator', name: 'Administrator', description: 'Has administrator access. Reset only from the admin area.' },
];

module.exports = {
  register({ strapi }) {
    strapi.contentType('plugin::users-permissions.user').attributes.firstName = { type: 'string' };
    // For `npm run bench` only: a request that does nothing but hash its password the way Strapi stores one
    // (bcryptjs, cost 10), the reference that bench/run.js subtracts from a reset through the same HTTP stack.
    if (process.env.BENCH_BCRYPT_ROUTE === 'true') {
      const bcrypt = require('bcryptjs');
      const handler = (ctx) => {
        bcrypt.hashSync(String(ctx.request.body?.password ?? ''), 10);
        ctx.body = { ok: true };
      };
      strapi.server.routes({ type: 'content-api', routes: [{ method: 'POST', path: '/bench/bcrypt', handler, config: { auth: false } }] });
    }
  },
  async bootstrap({ strapi }) {
    const roles = strapi.db.query('plugin::users-permissions.role');
    const permissions = strapi.db.query('plugin::users-permissions.permission');
    const authenticated = await roles.findOne({ where: { type: 'authenticated' }, populate: ['permissions'] });
    for (const role of ROLES) {
      if (await roles.findOne({ where: { type: role.type } })) continue;
      const created = await roles.create({ data: role });
      for (const { action } of authenticated.permissions) {
        await permissions.create({ data: { action, role: created.id } });
      }
    }
  },
};
