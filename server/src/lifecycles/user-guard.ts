// The user-model guard (DESIGN.md invariants 1 and 3), as a database lifecycle on users-permissions users:
// it sees every path that writes a password — this plugin, the Content Manager, users-permissions' routes,
// direct service calls. When a password changes, every code of the account dies and the moment is recorded,
// which ends JWTs issued before it (see sessions.ts).
import type { Core } from '@strapi/strapi';
import { getPluginService, USER_UID } from '../utils/plugin';
import { currentActor } from '../utils/actor';

interface UserEvent {
  model: { uid: string };
  params: { data?: Record<string, unknown>; where?: { id?: unknown } };
  result?: { id?: number } | null;
}

export function subscribeUserGuard(strapi: Core.Strapi) {
  return strapi.db.lifecycles.subscribe({
    models: [USER_UID],
    async afterUpdate(event: UserEvent) {
      if (event.params.data?.password === undefined) return;
      const userId = Number(event.result?.id ?? event.params.where?.id);
      if (!Number.isInteger(userId)) return;
      const actor = currentActor(strapi);
      await getPluginService(strapi, 'accounts').updateState(userId, { passwordChangedAt: new Date().toISOString() });
      await getPluginService(strapi, 'codes').revokeCodes(userId, 'password-changed', actor);
    },
  } as never);
}
