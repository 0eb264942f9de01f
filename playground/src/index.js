// The playground's own start-up: it makes sure the users-permissions roles the plugin's rules are about exist.
const ROLES = [
  { type: 'owner', name: 'Owner', description: 'Owns the site. Only another owner may reset this account.' },
  { type: 'administrator', name: 'Administrator', description: 'Has administrator access. Reset only from the admin area.' },
];

module.exports = {
  register() {},
  async bootstrap({ strapi }) {
    const roles = strapi.db.query('plugin::users-permissions.role');
    for (const role of ROLES) {
      if (!(await roles.findOne({ where: { type: role.type } }))) await roles.create({ data: role });
    }
  },
};
