import { chunk, createLimiter } from './concurrency';

/** A task that stays in flight until `finish` is called. */
const pending = () => {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish: () => finish() };
};

const ticks = () => new Promise((resolve) => setImmediate(resolve));

describe('createLimiter', () => {
  it('keeps at most the limit in flight across callers, and starts the others in order', async () => {
    const run = createLimiter(() => 2);
    const tasks = Array.from({ length: 5 }, pending);
    const started: number[] = [];
    const all = tasks.map((task, i) =>
      run(async () => {
        started.push(i);
        await task.done;
        return i;
      }),
    );
    await ticks();
    expect(started).toEqual([0, 1]);
    tasks[1].finish();
    await ticks();
    expect(started).toEqual([0, 1, 2]);
    tasks[0].finish();
    tasks[2].finish();
    await ticks();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    tasks[3].finish();
    tasks[4].finish();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4]);
  });

  it('frees the slot of a task that throws, and passes its error on', async () => {
    const run = createLimiter(() => 1);
    const failing = run(async () => {
      throw new Error('refused');
    });
    const next = run(async () => 'sent');
    await expect(failing).rejects.toThrow('refused');
    await expect(next).resolves.toBe('sent');
  });

  it('reads the limit at each turn, so a raised setting lets more start', async () => {
    let limit = 1;
    const run = createLimiter(() => limit);
    const tasks = Array.from({ length: 3 }, pending);
    let started = 0;
    const all = tasks.map((task) =>
      run(async () => {
        started++;
        await task.done;
      }),
    );
    await ticks();
    expect(started).toBe(1);
    limit = 3;
    tasks[0].finish();
    await ticks();
    expect(started).toBe(3);
    tasks[1].finish();
    tasks[2].finish();
    await Promise.all(all);
  });
});

describe('chunk', () => {
  it('splits into parts of the size, the last one shorter', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});
