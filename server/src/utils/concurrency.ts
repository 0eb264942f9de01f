// Helpers for bulk work: fixed-size chunks, a limit on how many calls are in flight at once, and a deadline.

/**
 * A gate shared by many callers: at most `limit()` calls of `run` are under way at once, the others wait their
 * turn in order. `limit` is read at each turn, so a changed setting takes effect without a restart.
 */
export function createLimiter(limit: () => number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    while (active < limit() && waiting.length > 0) {
      active++;
      (waiting.shift() as () => void)();
    }
  };
  return async function run<R>(work: () => Promise<R>): Promise<R> {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      next();
    });
    try {
      return await work();
    } finally {
      active--;
      next();
    }
  };
}

export const chunk = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The error a call past its deadline fails with: a network timeout, so delivery counts it as worth a retry. */
export class DeadlineError extends Error {
  readonly code = 'ETIMEDOUT';
}

/**
 * `work`, or a DeadlineError once `ms` have passed. The work itself is not cancelled (a mail transport has no way
 * to take back a message it is writing); its later outcome is ignored.
 */
export function withDeadline<R>(work: Promise<R>, ms: number, what: string): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  work.catch(() => undefined); // a failure after the deadline has no one to tell
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
