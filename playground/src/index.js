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
