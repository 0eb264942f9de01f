// The password policy on every path (DESIGN.md invariant 4). users-permissions' routes and the Content
// Manager's form write passwords through the Document Service, where the password is still plain text:
// a document middleware checks it there with the same policy as this plugin's own routes.
import type { Core } from '@strapi/strapi';
import { getPluginService, USER_UID } from './utils/plugin';
import { currentAuthorization } from './utils/write-scope';

interface DocumentContext {
  uid: string;
  action: string;
  params?: { documentId?: string; data?: Record<string, unknown> };
}

export function enforcePasswordPolicy(strapi: Core.Strapi) {
  strapi.documents.use(async (middlewareContext, next) => {
    // Only `uid`, `action` and the write's `documentId` and `data` are read; Strapi types params per action.
    const context = middlewareContext as unknown as DocumentContext;
    const password = context.params?.data?.password;
    const writes = context.uid === USER_UID && (context.action === 'create' || context.action === 'update');
    // Writes this plugin authorized were checked before they were made.
    if (!writes || typeof password !== 'string' || password === '' || currentAuthorization()) return next();
    const data = context.params?.data ?? {};
    const stored =
      context.action === 'update' && context.params?.documentId
        ? await strapi.db.query(USER_UID).findOne({ select: ['email', 'username'], where: { documentId: context.params.documentId } })
        : null;
    getPluginService(strapi, 'passwords').assertAcceptable(password, {
      email: (data.email as string | undefined) ?? stored?.email,
      username: (data.username as string | undefined) ?? stored?.username,
    });
    return next();
  });
}
