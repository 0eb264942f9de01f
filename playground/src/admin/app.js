// The playground's admin panel: French available beside English, and no release check (no traffic leaves the machine).
export default {
  config: {
    locales: ['fr'],
    notifications: { releases: false },
  },
  bootstrap() {},
};
