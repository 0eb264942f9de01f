// Admin-side helpers: the first super admin, restricted admins with chosen plugin permissions, API tokens,
// and users-permissions logins.
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type request from 'supertest';

export const ADMIN_PASSWORD = 'Admin-Playground-2026';

export function createAdminHelpers(strapi: Core.Strapi, http: () => request.Agent | ReturnType<typeof request>) {
  let superAdmin: { token: string; email: string } | null = null;
  const agent = () => http() as unknown as request.Agent;

  async function adminLogin(email: string, password = ADMIN_PASSWORD): Promise<string> {
    const res = await agent().post('/admin/login').send({ email, password });
    if (res.status !== 200) throw new Error(`Admin login failed (${res.status}): ${JSON.stringify(res.body)}`);
    return res.body.data.token;
  }

  return {
    adminLogin,

    /** The super admin (created on first call through POST /admin/register-admin); returns its JWT. */
    async loginSuperAdmin() {
      if (!superAdmin) {
        const email = 'super@admin.test';
        const res = await agent()
          .post('/admin/register-admin')
          .send({ firstname: 'Super', lastname: 'Admin', email, password: ADMIN_PASSWORD });
        if (res.status !== 200) throw new Error(`register-admin failed (${res.status}): ${JSON.stringify(res.body)}`);
        superAdmin = { token: res.body.data.token, email };
      }
      return superAdmin;
    },

    /**
     * An admin whose role holds only the given permissions: plugin actions by name
     * (`plugin::password-reset.send-code`) and, with `contentManager`, editing Users in the Content Manager.
     */
    async loginAdminWith(actions: string[], { contentManager = false } = {}) {
      const suffix = randomBytes(3).toString('hex');
      const role = await strapi.service('admin::role').create({ name: `Restricted ${suffix}`, description: 'test role' });
      const fields = ['username', 'email', 'provider', 'password', 'confirmed', 'blocked', 'role'];
      const editUsers = ['read', 'create', 'update'].map((verb) => ({
        action: `plugin::content-manager.explorer.${verb}`,
        subject: 'plugin::users-permissions.user',
        properties: { fields },
        conditions: [],
      }));
      await strapi
        .service('admin::role')
        .assignPermissions(role.id, [
          ...actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
          ...(contentManager ? editUsers : []),
        ]);
      const email = `restricted-${suffix}@admin.test`;
      await strapi.service('admin::user').create({
        email,
        firstname: 'Restricted',
        lastname: suffix,
        password: ADMIN_PASSWORD,
        isActive: true,
        registrationToken: null,
        roles: [role.id],
      });
      return { email, token: await adminLogin(email) };
    },

    /** An API token: full access, or custom with the given content-API actions. Returns the secret. */
    async apiToken(type: 'full-access' | 'read-only' | 'custom' = 'full-access', permissions: string[] = []) {
      const token = await strapi.service('admin::api-token').create({
        name: `token-${randomBytes(3).toString('hex')}`,
        type,
        lifespan: null,
        permissions: type === 'custom' ? permissions : undefined,
      });
      return { id: token.id as number, accessKey: token.accessKey as string };
    },

    /**
     * Edits a user through the Content Manager's own form route, as the admin panel does. A role change sends
     * `connect` and `disconnect`, as the form does: users-permissions before 5.50 requires both.
     */
    async contentManagerUpdate(token: string, documentId: string, data: Record<string, unknown>) {
      return agent()
        .put(`/content-manager/collection-types/plugin::users-permissions.user/${documentId}`)
        .set('Authorization', `Bearer ${token}`)
        .send(data);
    },

    /** Creates a user through the Content Manager's own route. */
    async contentManagerCreate(token: string, data: Record<string, unknown>) {
      return agent()
        .post('/content-manager/collection-types/plugin::users-permissions.user')
        .set('Authorization', `Bearer ${token}`)
        .send(data);
    },

    /** The plugin's admin routes (`/password-reset/...`) called with an admin's JWT. */
    pluginRoutes(token: string) {
      const call = (method: 'get' | 'post' | 'put' | 'delete', path: string) =>
        agent()[method](`/password-reset${path}`).set('Authorization', `Bearer ${token}`);
      return {
        get: (path: string) => call('get', path),
        post: (path: string, body: object) => call('post', path).send(body),
        put: (path: string, body: object) => call('put', path).send(body),
        delete: (path: string) => call('delete', path),
      };
    },

    /** Logs an account (a users-permissions user) in; returns the response, with its JWT. */
    async loginAccount(identifier: string, password: string) {
      return agent().post('/api/auth/local').send({ identifier, password });
    },
  };
}
