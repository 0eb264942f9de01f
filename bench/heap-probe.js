// Preloaded into a benchmark's Strapi (`--expose-gc --require bench/heap-probe.js`, by lib.js's `spawnMeasured`).
// Resident memory also counts garbage V8 has not collected yet, and how much it lets pile up depends on V8's
// heuristics; this tells what the process really holds. It watches every major garbage collection and keeps the
// highest heap still in use after one (the live heap's high-water mark). On SIGUSR2 it collects all garbage and
// writes, in bytes, the heap still in use (`kept`) and that high-water mark since the previous signal
// (`peakLive`) to BENCH_HEAP_FILE as JSON.
const fs = require('node:fs');
const { constants } = require('node:perf_hooks');

let peakLive = 0;
new PerformanceObserver((list) => {
  if (list.getEntries().some((entry) => entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) {
    peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
  }
}).observe({ entryTypes: ['gc'] });

process.on('SIGUSR2', () => {
  global.gc();
  global.gc();
  const kept = process.memoryUsage().heapUsed;
  fs.writeFileSync(process.env.BENCH_HEAP_FILE, JSON.stringify({ kept, peakLive: Math.max(peakLive, kept) }));
  peakLive = 0;
});
