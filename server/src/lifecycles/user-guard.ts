// The user-model guard (ARCHITECTURE.md, invariants 1 and 3), as database lifecycles on users-permissions users.
// They see every write to an account — this plugin, the Content Manager's create, edit and clone,
// users-permissions' routes, GraphQL, service calls — whatever its `where`, one row or many. Before a write:
// the rows it will touch are resolved and each change of a security field is put to the one rule
// (domain/restrictions.ts). After it: a password change ends the account's codes and sessions; an email,
// role or blocked change ends its codes; an email change by anyone but the holder is told to the old address.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getConfig, getPluginService, PASSWORD_CHANGED_AT, USER_UID } from '../utils/plugin';
import { actorFromContext, currentActor, type Actor } from '../utils/actor';
import { currentAuthorization } from '../utils/write-scope';
import type { Ctx } from '../utils/context';
import { normalizeEmail } from '../domain/email';
import { SECURITY_FIELDS, whyMayNotChange, type RoleKind, type SecurityField } from '../domain/restrictions';
import { describeReason, permissionAction, type Reason } from '../../../shared/contracts';
import { UnreadableRoleError } from '../services/accounts';

type Data = Record<string, unknown>;

/** An account as it was before the write: what the after-hook compares with. */
interface Snapshot {
  id: number;
  email: string | null;
  blocked: boolean;
  confirmed: boolean;
  provider: string | null;
  roleId: number | null;
  kind: RoleKind;
}

interface GuardState {
  /** The accounts the write touches. */
  ids?: number[];
  /** Those accounts as they were, when they were read (not for a password this plugin set: see beforeUpdate). */
  targets?: Snapshot[];
  passwordWritten?: boolean;
  /** Whether the write names a security field besides the password: if not, the after-hook need not read again. */
  otherFieldsWritten?: boolean;
}

interface UserEvent {
  params: { data?: Data | Data[]; where?: Data };
  result?: { id?: number; ids?: number[] } | null;
  state: GuardState;
}

const isRecord = (value: unknown): value is Data => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The id of a `where` that names one account by its id and nothing else, else null. */
const onlyId = (where: Data | undefined): number | null =>
  where && Object.keys(where).length === 1 && Number.isSafeInteger(where.id) ? (where.id as number) : null;

const writesPassword = (data: Data) => typeof data.password === 'string' && data.password !== '';

/** The security fields a write names (a password only when it is a non-empty string). */
const writtenFields = (data: Data): SecurityField[] =>
  SECURITY_FIELDS.filter((field) => (field === 'password' ? writesPassword(data) : data[field] !== undefined));

const sameEmail = (a: unknown, b: unknown) =>
  (typeof a === 'string' ? normalizeEmail(a) : null) === (typeof b === 'string' ? normalizeEmail(b) : null);

export function subscribeUserGuard(strapi: Core.Strapi) {
  const accounts = () => getPluginService(strapi, 'accounts');
  const audit = () => getPluginService(strapi, 'audit');
  const outbox = () => getPluginService(strapi, 'outbox');
  const users = () => strapi.db.query(USER_UID);

  /** The accounts a `where` selects, as they are now. The same `where` the write will use, so the same rows. */
  async function snapshots(where: Data | undefined, one: boolean): Promise<Snapshot[]> {
    const query = {
      select: ['id', 'email', 'blocked', 'confirmed', 'provider'],
      where: where ?? {},
      populate: { role: { select: ['id', 'type'] } },
    };
    const rows: Array<Omit<Snapshot, 'roleId' | 'kind'> & { role?: { id: number; type: string } | null }> = one
      ? [await users().findOne(query)].filter(Boolean)
      : await users().findMany(query);
    return rows.map(({ role, ...row }) => ({
      ...row,
      blocked: Boolean(row.blocked),
      confirmed: Boolean(row.confirmed),
      roleId: role?.id ?? null,
      kind: accounts().kindOfRoleType(role?.type),
    }));
  }

  async function refuse(
    actor: Actor,
    targetUserId: number | null,
    reason: Reason,
    attempted: string,
    fields: SecurityField[],
  ): Promise<never> {
    await audit().recordRefusal({ action: 'restriction.refused', actor, targetUserId, details: { reason, attempted, fields } });
    // A PolicyError (a ForbiddenError) keeps its message: Strapi hides the text of other ForbiddenErrors.
    throw new errors.PolicyError(describeReason(reason), { reason });
  }

  /** Who is acting, or null when the write needs no decision (this plugin authorized it, or no request is behind it). */
  function decidingActor(): { actor: Actor; mayManageOwners: boolean } | null {
    if (currentAuthorization()) return null;
    const ctx = strapi.requestContext.get() as Ctx | undefined;
    // Code running outside any request (seed scripts, migrations, the console) is the site's own and trusted.
    if (!ctx) return null;
    return { actor: actorFromContext(ctx), mayManageOwners: Boolean(ctx.state?.userAbility?.can(permissionAction('manageOwners'))) };
  }

  async function readRole(value: unknown, actor: Actor, targetUserId: number | null, attempted: string) {
    try {
      return await accounts().readRoleWrite(value);
    } catch (error) {
      if (error instanceof UnreadableRoleError) return refuse(actor, targetUserId, 'unreadable-write', attempted, ['role']);
      throw error;
    }
  }

  async function beforeUpdate(event: UserEvent, one: boolean) {
    const data = event.params.data;
    if (!isRecord(data)) return;
    // The moment of the last password change is written here and nowhere else (invariant 8).
    delete data[PASSWORD_CHANGED_AT];
    if (writesPassword(data)) data[PASSWORD_CHANGED_AT] = new Date();
    const written = writtenFields(data);
    if (written.length === 0) return;
    event.state.passwordWritten = written.includes('password');
    event.state.otherFieldsWritten = written.some((field) => field !== 'password');
    const id = onlyId(event.params.where);
    // A password alone that this plugin decided on (a reset, a set-now), for the one account it names by id:
    // nothing is compared, so nothing is read.
    if (currentAuthorization() && !event.state.otherFieldsWritten && id !== null) {
      event.state.ids = [id];
      return;
    }
    const targets = await snapshots(event.params.where, one);
    event.state.ids = targets.map((target) => target.id);
    event.state.targets = targets;
    const deciding = decidingActor();
    if (!deciding) return;
    const { actor, mayManageOwners } = deciding;
    const allowAdminSetPassword = getConfig(strapi).allowAdminSetPassword;
    const role = written.includes('role') ? await readRole(data.role, actor, targets[0]?.id ?? null, 'update') : null;
    for (const target of targets) {
      // What the write really changes: the Content Manager's form sends every field, changed or not.
      const fields = written.filter((field) => {
        if (field === 'password') return true;
        if (field === 'email') return !sameEmail(data.email, target.email);
        if (field === 'role')
          return (
            role !== null &&
            (role.roleIds.length > 0 ? !role.roleIds.includes(target.roleId ?? -1) : role.detaches && target.roleId !== null)
          );
        return data[field] !== target[field];
      });
      if (fields.length === 0) continue;
      const reason = whyMayNotChange({
        actor,
        target: { id: target.id, kind: target.kind },
        grantedKind: fields.includes('role') ? role?.kind : undefined,
        fields,
        mayManageOwners,
        allowAdminSetPassword,
      });
      if (reason) await refuse(actor, target.id, reason, 'update', fields);
    }
  }

  async function beforeCreate(data: unknown) {
    if (!isRecord(data)) return;
    delete data[PASSWORD_CHANGED_AT];
    const fields = writtenFields(data);
    const deciding = fields.length > 0 ? decidingActor() : null;
    if (!deciding) return;
    const { actor, mayManageOwners } = deciding;
    const role = data.role === undefined ? null : await readRole(data.role, actor, null, 'create');
    const reason = whyMayNotChange({
      actor,
      target: null,
      grantedKind: role?.kind,
      fields,
      mayManageOwners,
      allowAdminSetPassword: getConfig(strapi).allowAdminSetPassword,
    });
    if (reason) await refuse(actor, null, reason, 'create', fields);
  }

  /** What follows a write, per account: codes and sessions end, the change is recorded, the holder is told. */
  async function afterUpdate(event: UserEvent) {
    const { ids, targets: before, passwordWritten, otherFieldsWritten } = event.state;
    if (!ids?.length) return;
    const actor = currentActor(strapi);
    const authorized = Boolean(currentAuthorization());
    if (passwordWritten) {
      for (const id of ids) {
        await getPluginService(strapi, 'codes').revokeCodes(id, 'password-changed', actor);
        // This plugin audits its own writes (password.reset, password.set); every other path is recorded here.
        if (!authorized) await audit().record({ action: 'password.changed', actor, targetUserId: id });
        // Refresh-token sessions (users-permissions' `refresh` mode) end here, and with them the access tokens of the
        // change's second (sessions.ts asks for their session); legacy JWTs are refused by sessions.ts.
        await strapi.sessionManager?.('users-permissions').invalidateRefreshToken(String(id));
      }
    }
    // A write of the password alone leaves every compared field as it was (a reset's case: nothing to read again).
    if (!before || !otherFieldsWritten) return;
    const after = new Map((await snapshots({ id: { $in: ids } }, false)).map((row) => [row.id, row]));
    for (const old of before) {
      const now = after.get(old.id);
      if (!now) continue;
      const changed = (['email', 'blocked', 'confirmed', 'provider', 'roleId'] as const).filter((field) =>
        field === 'email' ? !sameEmail(old.email, now.email) : old[field] !== now[field],
      );
      // A code is bound to the address, role and standing it was issued for (a password change ended them already).
      if (!passwordWritten && changed.some((field) => field !== 'confirmed' && field !== 'provider')) {
        await getPluginService(strapi, 'codes').revokeCodes(old.id, 'account-changed', actor);
      }
      if (changed.length > 0 && !authorized && (actor.type === 'admin' || actor.type === 'api-token')) {
        await audit().record({
          action: 'account.changed',
          actor,
          targetUserId: old.id,
          details: { fields: changed.map((field) => (field === 'roleId' ? 'role' : field)) },
        });
      }
      // The lookup copy follows the stored spelling, even a change of case only.
      if (old.email !== now.email) await accounts().syncEmailLookup(old.id, now.email);
      if (changed.includes('email')) {
        const byHolder = actor.type === 'user' && actor.id === String(old.id);
        if (old.email && !byHolder) await outbox().notifyEmailChanged(old.id, old.email as string, actor);
      }
    }
  }

  async function afterCreate(data: unknown, id: number | undefined) {
    if (!isRecord(data) || !id) return;
    if (typeof data.email === 'string' && normalizeEmail(data.email) !== data.email) await accounts().syncEmailLookup(id, data.email);
    // An account created without a password (see extensions of users-permissions in register.ts) gets an
    // activation code: off the request path, once the account is committed.
    if (currentAuthorization()?.via !== 'activation-on-create' || typeof data.email !== 'string') return;
    const actor = currentActor(strapi);
    await outbox().enqueue([{ kind: 'code', template: 'activation', userId: id, actor }]);
  }

  return strapi.db.lifecycles.subscribe({
    models: [USER_UID],
    beforeUpdate: (event: UserEvent) => beforeUpdate(event, true),
    beforeUpdateMany: (event: UserEvent) => beforeUpdate(event, false),
    afterUpdate,
    afterUpdateMany: afterUpdate,
    beforeCreate: (event: UserEvent) => beforeCreate(event.params.data),
    async beforeCreateMany(event: UserEvent) {
      for (const data of Array.isArray(event.params.data) ? event.params.data : []) await beforeCreate(data);
    },
    afterCreate: (event: UserEvent) => afterCreate(event.params.data, event.result?.id),
    async afterCreateMany(event: UserEvent) {
      const rows = Array.isArray(event.params.data) ? event.params.data : [];
      const ids = event.result?.ids ?? [];
      for (const [index, data] of rows.entries()) await afterCreate(data, ids[index]);
    },
  } as never);
}
