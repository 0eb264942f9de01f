// Preloaded into a benchmark's Strapi (`--expose-gc --require bench/heap-probe.js`, by lib.js's `spawnMeasured`):
// on SIGUSR2 it collects all garbage and writes the heap still in use, in bytes, to BENCH_HEAP_FILE. Resident
// memory also counts garbage V8 has not collected yet; this tells what the process keeps.
const fs = require('node:fs');

process.on('SIGUSR2', () => {
  global.gc();
  global.gc();
  fs.writeFileSync(process.env.BENCH_HEAP_FILE, String(process.memoryUsage().heapUsed));
});
