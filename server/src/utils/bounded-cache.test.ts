import { boundedCache } from './bounded-cache';

describe('boundedCache', () => {
  it('computes a key once, and forgets everything once the limit is reached', () => {
    const cache = boundedCache<number>(2);
    let computed = 0;
    const square = (n: number) => cache(String(n), () => (computed++, n * n));
    expect([square(3), square(3), square(4)]).toEqual([9, 9, 16]);
    expect(computed).toBe(2);
    square(5); // the third key: the cache is emptied first, then holds 5 alone
    square(3);
    expect(computed).toBe(4);
    square(5);
    expect(computed).toBe(4);
  });
});
