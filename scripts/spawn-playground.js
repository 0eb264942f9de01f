// Starts scripts/serve-playground.js in a child process and resolves once it listens. Used by the
// multi-instance test (tests/helpers/process.ts) and the boot-time benchmark.
const { spawn } = require('node:child_process');
const path = require('node:path');

const SCRIPT = path.join(__dirname, 'serve-playground.js');

/**
 * @param {Record<string, string>} env @param {number} [timeoutMs]
 * @param {string[]} [nodeArgs] flags for the child's Node, after those of PLAYGROUND_NODE_ARGS
 */
async function spawnPlayground(env, timeoutMs = 90000, nodeArgs = []) {
  // PLAYGROUND_NODE_ARGS: flags for the child's Node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
  const fromEnv = (process.env.PLAYGROUND_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...fromEnv, ...nodeArgs, SCRIPT], {
    env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', STRAPI_LOG_LEVEL: 'error', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`playground did not start:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk.toString();
      const ready = /READY (\S+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`playground exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    pid: child.pid,
    /** Sends SIGTERM and resolves with the exit code (0 for a clean stop). */
    async stop() {
      // Already gone (it exited, or a test killed it): its exit code, null after a signal.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      return exited;
    },
  };
}

module.exports = { spawnPlayground };
