// Statistics for the bench, in plain JavaScript: quantiles, a bootstrap confidence interval of the difference
// of two medians (of independent samples, or of samples measured in blocks), and the Mann-Whitney U (Wilcoxon
// rank-sum) test with the normal approximation and tie correction.
'use strict';

const sorted = (values) => [...values].sort((a, b) => a - b);

/** The q-quantile (0 ≤ q ≤ 1) of already sorted values, linear between the two nearest ranks. */
function quantileSorted(values, q) {
  if (values.length === 0) return NaN;
  const position = (values.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return values[below] + (values[above] - values[below]) * (position - below);
}

const quantile = (values, q) => quantileSorted(sorted(values), q);
const median = (values) => quantile(values, 0.5);

/** n, median, p25, p75, p99, min and max of a sample. */
function summary(values) {
  const s = sorted(values);
  return {
    n: s.length,
    median: quantileSorted(s, 0.5),
    p25: quantileSorted(s, 0.25),
    p75: quantileSorted(s, 0.75),
    p99: quantileSorted(s, 0.99),
    min: s[0],
    max: s[s.length - 1],
  };
}

/** A small seeded generator (mulberry32), so that a bootstrap can be repeated exactly. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resampleMedian(values, random) {
  const copy = new Array(values.length);
  for (let i = 0; i < values.length; i++) copy[i] = values[Math.floor(random() * values.length)];
  return median(copy);
}

/**
 * median(a) − median(b), with a percentile bootstrap confidence interval (each sample resampled on its own,
 * `iterations` times) at level `confidence`.
 */
function bootstrapMedianDifference(a, b, { iterations = 2000, confidence = 0.95, seed = 1 } = {}) {
  if (a.length === 0 || b.length === 0) throw new Error('bootstrapMedianDifference: empty sample');
  const random = seededRandom(seed);
  const differences = new Array(iterations);
  for (let i = 0; i < iterations; i++) differences[i] = resampleMedian(a, random) - resampleMedian(b, random);
  const tail = (1 - confidence) / 2;
  const s = sorted(differences);
  return { difference: median(a) - median(b), low: quantileSorted(s, tail), high: quantileSorted(s, 1 - tail), iterations };
}

/**
 * The same for a randomized block design: a[i] and b[i] were measured in block i (one probe of each class, in
 * random order), so whole blocks are resampled, and what the machine's load did to a block falls on both
 * samples, as it did when they were measured. With `strata` (the number of blocks of each run, in order), blocks
 * are resampled within their run, so that a slower run is not mistaken for noise between the classes.
 */
function bootstrapBlockedMedianDifference(a, b, { iterations = 2000, confidence = 0.95, seed = 1, strata = [a.length] } = {}) {
  if (a.length === 0 || a.length !== b.length) throw new Error('bootstrapBlockedMedianDifference: samples must be non-empty blocks');
  if (strata.reduce((sum, size) => sum + size, 0) !== a.length) throw new Error('bootstrapBlockedMedianDifference: strata do not add up');
  const random = seededRandom(seed);
  const x = new Array(a.length);
  const y = new Array(b.length);
  const differences = new Array(iterations);
  for (let i = 0; i < iterations; i++) {
    let k = 0;
    let start = 0;
    for (const size of strata) {
      for (let j = 0; j < size; j++, k++) {
        const block = start + Math.floor(random() * size);
        x[k] = a[block];
        y[k] = b[block];
      }
      start += size;
    }
    differences[i] = median(x) - median(y);
  }
  const tail = (1 - confidence) / 2;
  const s = sorted(differences);
  return { difference: median(a) - median(b), low: quantileSorted(s, tail), high: quantileSorted(s, 1 - tail), iterations };
}

/** The standard normal distribution function (Abramowitz & Stegun 7.1.26 through erf; error < 1.5e-7). */
function normalCdf(z) {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * Mann-Whitney U test of a against b, two-sided: U of a, z with continuity and tie correction, p, and the
 * common-language effect size U / (n₁n₂) (0.5: neither tends to be larger).
 */
function mannWhitney(a, b) {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitney: empty sample');
  const all = [...a.map((value) => ({ value, fromA: true })), ...b.map((value) => ({ value, fromA: false }))].sort(
    (x, y) => x.value - y.value,
  );
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].value === all[i].value) j++;
    const rank = (i + j + 2) / 2; // ranks are 1-based; ties share the mean rank
    const tied = j - i + 1;
    tieTerm += tied ** 3 - tied;
    for (let k = i; k <= j; k++) if (all[k].fromA) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, p: 1, effect: u / (n1 * n2) };
  const distance = Math.max(0, Math.abs(u - mean) - 0.5);
  const z = (Math.sign(u - mean) * distance) / Math.sqrt(variance);
  return { u, z, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))), effect: u / (n1 * n2) };
}

/** Shuffle in place (Fisher-Yates). */
function shuffle(values, random = Math.random) {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return values;
}

module.exports = {
  quantile,
  median,
  summary,
  seededRandom,
  bootstrapMedianDifference,
  bootstrapBlockedMedianDifference,
  normalCdf,
  mannWhitney,
  shuffle,
};
