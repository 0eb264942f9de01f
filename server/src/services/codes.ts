// Codes: the single-use secrets sent by email as links (ARCHITECTURE.md, invariant 1).
//
// A code is 32 random bytes (256 bits) from crypto.randomBytes, given to its holder once, base64url-encoded,
// and stored only as its SHA-256: a database leak yields nothing usable, and since the secret has full
// entropy a fast hash is enough (no salt or bcrypt needed, unlike passwords). A code dies when it is used,
// when it expires, when a newer code of the same account is issued (one live code per account, whatever the
// purpose), when the account's password, email, role or blocked state changes by any path (the user-model
// lifecycle calls `revokeCodes`), and when redeeming it finds the account no longer what it was issued for
// (domain/codes.ts: each row records the address and kind it was issued for).
//
// Redemption is one conditional UPDATE ... WHERE used_at IS NULL AND revoked_at IS NULL AND expires_at > now:
// the database decides which of several simultaneous requests wins, so a code is used at most once.
// This service knows nothing of passwords: "redeem, then set the password" is the recovery service's flow.
import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { CODE_UID, getConfig, getPluginService, USER_UID } from '../utils/plugin';
import { describeActor, SYSTEM, type Actor } from '../utils/actor';
import type { AuditEntry } from './audit';
import { chunk } from '../utils/concurrency';
import { withDocumentIds } from '../content-types/internal-collection';
import type { Purpose } from '../config';
import { bindingOf, codeState, type CodeBinding } from '../domain/codes';

export interface CodeRow extends CodeBinding {
  id: number;
  tokenHash: string;
  purpose: Purpose;
  userId: number;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export type RevokeReason = 'superseded' | 'password-changed' | 'account-changed' | 'email-failed';

export interface IssuedCode {
  userId: number;
  token: string;
  expiresAt: Date;
  codeId: number;
}

// Rows per INSERT: well under every database's bound-parameter limit (SQLite: 32766, 8 columns a row).
export const CODE_BATCH_SIZE = 500;

const TOKEN_BYTES = 32;
// base64url of 32 bytes is 43 characters; anything else cannot be one of ours. A link users-permissions mailed
// before this plugin took over carries 64 random bytes in hex, adopted as a code (`adoptUsersPermissionsLinks`).
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const USERS_PERMISSIONS_TOKEN = /^[0-9a-f]{128}$/;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const looksLikeToken = (token: string) => TOKEN_PATTERN.test(token) || USERS_PERMISSIONS_TOKEN.test(token);

/** `codeState(code, now) === 'live'`, as a query (domain/codes.ts). */
const liveWhere = (now: Date) => ({ usedAt: { $null: true }, revokedAt: { $null: true }, expiresAt: { $gt: now } });

const codesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const codes = () => strapi.db.query(CODE_UID);
  const audit = () => getPluginService(strapi, 'audit');
  const accounts = () => getPluginService(strapi, 'accounts');

  const findByToken = async (token: string): Promise<CodeRow | null> =>
    looksLikeToken(token) ? codes().findOne({ where: { tokenHash: hashToken(token) } }) : null;

  return {
    /**
     * Issue a new code and revoke the account's older live codes, whatever their purpose. Of several codes
     * issued at once for one account, only the newest (highest id) stays live, whatever the interleaving.
     */
    async issueCode(userId: number, purpose: Purpose, actor: Actor) {
      const [issued] = await this.insertCodes([userId], purpose, actor);
      await this.revokeSuperseded([userId], actor);
      return issued;
    },

    /**
     * Write new codes for many accounts, in batched inserts, with their audit rows; one code per account, in
     * order. Call `revokeSuperseded` once these rows are committed (see there why not before). `given` holds
     * secrets made elsewhere, by account (users-permissions' links adopted at boot); others are made here.
     */
    async insertCodes(userIds: number[], purpose: Purpose, actor: Actor, given?: Map<number, string>): Promise<IssuedCode[]> {
      const hours = getConfig(strapi).codeTtlHours[purpose];
      const expiresAt = new Date(Date.now() + hours * 3600 * 1000);
      const issuedBy = describeActor(actor);
      const issued: IssuedCode[] = [];
      for (const batch of chunk(userIds, CODE_BATCH_SIZE)) {
        const tokens = batch.map((userId) => given?.get(userId) ?? randomBytes(TOKEN_BYTES).toString('base64url'));
        const hashes = tokens.map(hashToken);
        const found = new Map((await accounts().findManyByIds(batch)).map((account) => [account.id, account]));
        const binding = (userId: number) => {
          const account = found.get(userId);
          return account ? bindingOf({ ...account, kind: accounts().roleKind(account) }) : {};
        };
        await codes().createMany({
          data: withDocumentIds(
            batch.map((userId, i) => ({ tokenHash: hashes[i], purpose, userId, expiresAt, issuedBy, ...binding(userId) })),
          ),
        });
        const rows: Array<{ id: number; tokenHash: string }> = await codes().findMany({
          select: ['id', 'tokenHash'],
          where: { tokenHash: { $in: hashes } },
        });
        const idByHash = new Map(rows.map((row) => [row.tokenHash, row.id]));
        const batchIssued = batch.map((userId, i) => ({ userId, token: tokens[i], expiresAt, codeId: idByHash.get(hashes[i]) as number }));
        await audit().record(
          batchIssued.map(({ userId, codeId }) => ({
            action: 'code.issued' as const,
            actor,
            targetUserId: userId,
            details: { purpose, codeId },
          })),
        );
        issued.push(...batchIssued);
      }
      return issued;
    },

    /**
     * Revoke every live code of these accounts but the newest, whatever its purpose. Run after the new codes are
     * committed: each issuer then sees at least its own code and every code committed before it, so whichever
     * issuer runs this last sees them all, and only the newest code of each account stays live.
     */
    async revokeSuperseded(userIds: number[], actor: Actor) {
      for (const batch of chunk(userIds, CODE_BATCH_SIZE)) {
        const live: Array<Pick<CodeRow, 'id' | 'userId' | 'purpose'>> = await codes().findMany({
          select: ['id', 'userId', 'purpose'],
          where: { userId: { $in: batch }, ...liveWhere(new Date()) },
        });
        const newest = new Map<number, number>();
        for (const code of live) newest.set(code.userId, Math.max(code.id, newest.get(code.userId) ?? 0));
        await this.revokeCodeRows(
          live.filter((code) => code.id !== newest.get(code.userId)),
          'superseded',
          actor,
        );
      }
    },

    /**
     * Links users-permissions mailed before this plugin took over its routes keep working, once, under this
     * plugin's rules: each `resetPasswordToken` (stored in clear on the account row, with no expiry) becomes a reset
     * code — stored as its hash, bound to the account as it is now, expiring after `codeTtlHours.reset` from now,
     * the account's one live code — and the clear token is erased. Runs at every boot; with the routes taken over
     * nothing writes such tokens again, so it finds them only after an install or a time with the take-over off.
     */
    async adoptUsersPermissionsLinks() {
      if (!getConfig(strapi).takeOverUsersPermissionsRoutes) return 0;
      const users = strapi.db.query(USER_UID);
      const held: Array<{ id: number; resetPasswordToken: string }> = await users.findMany({
        select: ['id', 'resetPasswordToken'],
        where: { resetPasswordToken: { $notNull: true } },
      });
      if (held.length === 0) return 0;
      // Each token is taken by clearing it where it still holds that value: of instances booting together, each
      // takes a token at most once (the others find it cleared), so no two write a code with the same hash.
      const adopted = new Map<number, string>();
      await strapi.db.transaction(async () => {
        for (const { id, resetPasswordToken } of held) {
          const { count } = await users.updateMany({ where: { id, resetPasswordToken }, data: { resetPasswordToken: null } });
          if (count === 1 && USERS_PERMISSIONS_TOKEN.test(resetPasswordToken)) adopted.set(id, resetPasswordToken);
        }
        await this.insertCodes([...adopted.keys()], 'reset', SYSTEM, adopted);
      });
      await this.revokeSuperseded([...adopted.keys()], SYSTEM);
      return adopted.size;
    },

    /** The live code row for a token, or null; consumes nothing. */
    async findLiveCode(token: string) {
      const row = await findByToken(token);
      return row && codeState(row, new Date()) === 'live' ? row : null;
    },

    /** Audit an attempt to use a code that had expired (unused and unrevoked, past its time). */
    async auditIfExpired(token: string, actor: Actor) {
      const row = await findByToken(token);
      if (row && codeState(row, new Date()) === 'expired') {
        await audit().record({
          action: 'code.expired',
          actor,
          targetUserId: row.userId,
          details: { purpose: row.purpose, codeId: row.id },
        });
      }
    },

    /**
     * Mark a code used, atomically. Returns the code when this call used it, null when it was not live
     * (unknown, used, revoked or expired — the caller answers all of these the same way). `known`, the row
     * the caller already read for this token, saves reading it again when the update used it; `alsoRecord`,
     * audit entries of the caller's that share the insert of the code's own.
     */
    async redeemCode(token: string, actor: Actor, known?: CodeRow, alsoRecord: AuditEntry[] = []): Promise<CodeRow | null> {
      if (!looksLikeToken(token)) return null;
      const tokenHash = hashToken(token);
      const now = new Date();
      const { count } = await codes().updateMany({ where: { tokenHash, ...liveWhere(now) }, data: { usedAt: now } });
      const row: CodeRow | null =
        count === 1 && known?.tokenHash === tokenHash
          ? { ...known, usedAt: now.toISOString() }
          : await codes().findOne({ where: { tokenHash } });
      if (count === 1 && row) {
        await audit().record([
          { action: 'code.used', actor, targetUserId: row.userId, details: { purpose: row.purpose, codeId: row.id } },
          ...alsoRecord,
        ]);
        return row;
      }
      if (row && codeState(row, now) === 'expired') {
        await audit().record({
          action: 'code.expired',
          actor,
          targetUserId: row.userId,
          details: { purpose: row.purpose, codeId: row.id },
        });
      }
      return null;
    },

    /** Revoke an account's live codes (all purposes unless one is given), one audit row per code. */
    async revokeCodes(userId: number, reason: RevokeReason, actor: Actor, { purpose, ids }: { purpose?: Purpose; ids?: number[] } = {}) {
      const where: Record<string, unknown> = { userId, usedAt: { $null: true }, revokedAt: { $null: true } };
      if (purpose) where.purpose = purpose;
      if (ids) where.id = { $in: ids };
      const live: Array<Pick<CodeRow, 'id' | 'userId' | 'purpose'>> = await codes().findMany({
        select: ['id', 'userId', 'purpose'],
        where,
      });
      return this.revokeCodeRows(live, reason, actor);
    },

    async revokeCodeRows(rows: Array<Pick<CodeRow, 'id' | 'userId' | 'purpose'>>, reason: RevokeReason, actor: Actor) {
      if (rows.length === 0) return 0;
      await codes().updateMany({
        where: { id: { $in: rows.map((code) => code.id) }, revokedAt: { $null: true } },
        data: { revokedAt: new Date(), revokedReason: reason },
      });
      await audit().record(
        rows.map((code) => ({
          action: 'code.revoked' as const,
          actor,
          targetUserId: code.userId,
          details: { purpose: code.purpose, codeId: code.id, reason },
        })),
      );
      return rows.length;
    },

    /** The newest codes of an account, for the admin status panel. */
    async latestCodes(userId: number) {
      return codes().findMany({
        select: ['id', 'purpose', 'expiresAt', 'usedAt', 'revokedAt', 'revokedReason', 'createdAt'],
        where: { userId },
        orderBy: { id: 'desc' },
        limit: 5,
      }) as Promise<CodeRow[]>;
    },
  };
};

export type CodesService = ReturnType<typeof codesService>;
export default codesService;
