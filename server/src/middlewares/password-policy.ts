// The password policy on every path (ARCHITECTURE.md, invariant 4). users-permissions' routes, GraphQL and the
// Content Manager's form and clone write passwords through the Document Service, where the password is still
// plain text: a document middleware checks it there with the same policy as this plugin's own routes.
// A clone also gets users-permissions' unique address and username check, which its own controller never runs.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService, isHeldToPasswordPolicy, USER_UID } from '../utils/plugin';
import { currentAuthorization, runAsSiteCode } from '../utils/write-scope';
import { assertStorableUserData } from '../controllers/validate';

interface DocumentContext {
  uid: string;
  action: string;
  params?: { documentId?: string; data?: Record<string, unknown> };
}

const WRITES = ['create', 'update', 'clone'];

export function enforcePasswordPolicy(strapi: Core.Strapi) {
  const users = () => strapi.db.query(USER_UID);

  /** A clone copies every field of its source: an address or username that must stay unique is refused. */
  async function assertCloneIsUnique(data: Record<string, unknown>, source: { email?: string | null; username?: string | null } | null) {
    const email = (data.email as string | undefined) ?? source?.email;
    const username = (data.username as string | undefined) ?? source?.username;
    if (typeof email === 'string' && (await getPluginService(strapi, 'accounts').findByEmail(email))) {
      throw new errors.ValidationError('This email address is already taken.', { errors: [{ path: ['email'], message: 'already taken' }] });
    }
    if (typeof username === 'string' && (await users().count({ where: { username } })) > 0) {
      throw new errors.ValidationError('This username is already taken.', { errors: [{ path: ['username'], message: 'already taken' }] });
    }
  }

  strapi.documents.use(async (middlewareContext, next) => {
    // Only `uid`, `action` and the write's `documentId` and `data` are read; Strapi types params per action.
    const context = middlewareContext as unknown as DocumentContext;
    if (context.uid !== USER_UID || !WRITES.includes(context.action)) return next();
    // Whoever writes (the Content Manager above all): a value the database cannot store is a 400, not a 500.
    assertStorableUserData(context.params?.data);
    // Writes this plugin authorized were checked before they were made.
    if (currentAuthorization()) return next();
    const data = context.params?.data ?? {};
    // The site's own code outside any request is not held to the policy; Strapi's validator is told so too.
    const held = isHeldToPasswordPolicy(strapi);
    const write = () => (held ? next() : runAsSiteCode(next));
    const password = held && typeof data.password === 'string' && data.password !== '' ? data.password : null;
    if (context.action !== 'clone' && password === null) return write();
    const source =
      context.action !== 'create' && context.params?.documentId
        ? await users().findOne({ select: ['email', 'username'], where: { documentId: context.params.documentId } })
        : null;
    if (context.action === 'clone') await assertCloneIsUnique(data, source);
    if (password !== null) {
      getPluginService(strapi, 'passwords').assertAcceptable(password, {
        email: (data.email as string | undefined) ?? source?.email,
        username: (data.username as string | undefined) ?? source?.username,
      });
    }
    return write();
  });
}
