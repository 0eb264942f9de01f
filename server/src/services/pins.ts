// Support PINs: an owner records a PIN the service desk can check by telephone before helping them.
// Stored as scrypt with a random salt; five wrong tries lock checking for fifteen minutes; every try is audited.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { getPluginService } from '../utils/plugin';
import type { Actor } from '../utils/actor';
import { MAX_PIN_ATTEMPTS, PIN_LOCK_MINUTES } from '../../../shared/contracts';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

async function hashPin(pin: string) {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await scrypt(pin, salt, 32)).toString('base64')}`;
}

async function pinMatches(pin: string, stored: string) {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(pin, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

const pinsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const accounts = () => getPluginService(strapi, 'accounts');
  const audit = () => getPluginService(strapi, 'audit');

  return {
    async setPin(userId: number, pin: string, actor: Actor) {
      await accounts().updateState(userId, { pinHash: await hashPin(pin), pinFailedAttempts: 0, pinLockedUntil: null });
      await audit().record({ action: 'pin.set', actor, targetUserId: userId });
    },

    /**
     * Whether a PIN read out on the telephone matches. Throws a RateLimitError while checks are locked. Runs
     * under the state row's lock, so parallel guesses are counted one after another and cannot outrun the lock.
     */
    async verifyPin(userId: number, pin: string, actor: Actor): Promise<{ match: boolean; attemptsLeft: number }> {
      const outcome = await strapi.db.transaction(async () => {
        await accounts().lockStateForUpdate(userId);
        const state = await accounts().getState(userId);
        if (!state?.pinHash) throw new errors.NotFoundError('This account has no support PIN.');
        const now = Date.now();
        if (state.pinLockedUntil && new Date(state.pinLockedUntil).getTime() > now) {
          return { locked: true as const, retryAfterSeconds: Math.ceil((new Date(state.pinLockedUntil).getTime() - now) / 1000) };
        }
        const match = await pinMatches(pin, state.pinHash);
        const failures = match ? 0 : (state.pinFailedAttempts ?? 0) + 1;
        const locked = failures >= MAX_PIN_ATTEMPTS;
        await accounts().updateState(userId, {
          pinFailedAttempts: locked ? 0 : failures,
          pinLockedUntil: locked ? new Date(now + PIN_LOCK_MINUTES * 60000).toISOString() : null,
        });
        return { locked: false as const, match, nowLocked: locked, attemptsLeft: locked ? 0 : MAX_PIN_ATTEMPTS - failures };
      });
      if (outcome.locked) {
        await audit().record({ action: 'pin.checked', actor, targetUserId: userId, details: { match: false, locked: true } });
        const minutes = Math.ceil(outcome.retryAfterSeconds / 60);
        throw new errors.RateLimitError(`Too many wrong PINs. Checking is locked for ${minutes} more minute(s).`, {
          retryAfterSeconds: outcome.retryAfterSeconds,
        });
      }
      await audit().record({
        action: 'pin.checked',
        actor,
        targetUserId: userId,
        details: { match: outcome.match, locked: outcome.nowLocked },
      });
      return { match: outcome.match, attemptsLeft: outcome.attemptsLeft };
    },
  };
};

export type PinsService = ReturnType<typeof pinsService>;
export default pinsService;
