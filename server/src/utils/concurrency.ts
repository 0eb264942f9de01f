// Helpers for bulk work: fixed-size chunks, and a limit on how many calls are in flight at once.

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
