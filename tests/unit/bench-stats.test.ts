// The bench's statistics (bench/stats.js): quantiles, the bootstrap interval of a median difference and the
// Mann-Whitney U test, checked against values worked out by hand from the textbook formulas.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stats = require('../../bench/stats.js');

describe('bench statistics', () => {
  it('computes quantiles by linear interpolation', () => {
    expect(stats.median([3, 1, 2])).toBe(2);
    expect(stats.median([4, 1, 3, 2])).toBe(2.5);
    expect(stats.quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(stats.quantile([10, 20], 0.75)).toBe(17.5);
    expect(stats.summary([5, 1, 3])).toMatchObject({ n: 3, median: 3, p25: 2, p75: 4, min: 1, max: 5 });
  });

  it('gives the standard normal distribution function', () => {
    expect(stats.normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(stats.normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(stats.normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });

  it('matches R for the Mann-Whitney U test without ties', () => {
    // U = 0; mean 10, variance 4·5·10/12; z = (10 − 0.5)/√16.67 = 2.3270; p = 2(1 − Φ(2.3270)) = 0.01996
    const result = stats.mannWhitney([1.1, 2.2, 3.3, 4.4], [5.5, 6.6, 7.7, 8.8, 9.9]);
    expect(result.u).toBe(0);
    expect(result.z).toBeCloseTo(-2.327, 3);
    expect(result.p).toBeCloseTo(0.01996, 4);
    expect(result.effect).toBe(0);
  });

  it('matches R for the Mann-Whitney U test with ties', () => {
    // Mean ranks 1, 3, 3, 6, 8 for the first sample: U = 21 − 15 = 6. Two triples tied: variance
    // (30/12)(12 − 48/110) = 28.909; z = (15 − 6 − 0.5)/√28.909 = 1.5809; p = 0.1139
    const result = stats.mannWhitney([1, 2, 2, 3, 4], [2, 3, 3, 5, 6, 7]);
    expect(result.u).toBe(6);
    expect(result.z).toBeCloseTo(-1.5809, 3);
    expect(result.p).toBeCloseTo(0.1139, 3);
  });

  it('finds no difference between identical samples', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(stats.mannWhitney(a, [...a]).p).toBeCloseTo(1, 6);
    expect(stats.mannWhitney([2, 2, 2], [2, 2]).p).toBe(1);
  });

  it('gives a bootstrap interval that holds the true difference and is repeatable', () => {
    const random = stats.seededRandom(42);
    const a = Array.from({ length: 400 }, () => 10 + random());
    const b = Array.from({ length: 400 }, () => 12 + random());
    const first = stats.bootstrapMedianDifference(a, b, { iterations: 1000, seed: 7 });
    expect(first.difference).toBeCloseTo(-2, 1);
    expect(first.low).toBeLessThan(-2 + 0.1);
    expect(first.high).toBeGreaterThan(-2 - 0.1);
    expect(first.low).toBeLessThanOrEqual(first.difference);
    expect(first.high).toBeGreaterThanOrEqual(first.difference);
    expect(first.high - first.low).toBeLessThan(0.3);
    expect(stats.bootstrapMedianDifference(a, b, { iterations: 1000, seed: 7 })).toEqual(first);
  });

  it('resamples whole blocks: a load shared by both samples of a block narrows the interval, a shift stays inside', () => {
    const random = stats.seededRandom(3);
    // Each block's load (0 to 4) falls on both classes; b is a shifted by 0.1 plus a little noise of its own.
    const load = Array.from({ length: 600 }, () => 4 * random());
    const a = load.map((l: number) => 10 + l + 0.2 * random());
    const b = load.map((l: number) => 10.1 + l + 0.2 * random());
    const blocked = stats.bootstrapBlockedMedianDifference(a, b, { iterations: 1000, seed: 5 });
    const independent = stats.bootstrapMedianDifference(a, b, { iterations: 1000, seed: 5 });
    expect(blocked.low).toBeLessThan(-0.1);
    expect(blocked.high).toBeGreaterThan(-0.1);
    expect(blocked.high - blocked.low).toBeLessThan((independent.high - independent.low) / 2);
    // As two runs: each run's blocks are resampled apart, and the runs' sizes must add up to the blocks.
    const strata = stats.bootstrapBlockedMedianDifference(a, b, { iterations: 1000, seed: 5, strata: [300, 300] });
    expect(strata.low).toBeLessThan(-0.1);
    expect(strata.high).toBeGreaterThan(-0.1);
    expect(() => stats.bootstrapBlockedMedianDifference(a, b, { strata: [300, 200] })).toThrow('strata');
    expect(() => stats.bootstrapBlockedMedianDifference(a, b.slice(1))).toThrow('blocks');
  });

  it('shuffles without losing values', () => {
    const values = Array.from({ length: 50 }, (_, i) => i);
    expect(stats.shuffle([...values], stats.seededRandom(3)).sort((x: number, y: number) => x - y)).toEqual(values);
  });
});
