// The playground in a separate Node process (scripts/spawn-playground.js, shared with the benchmarks), typed.
export interface PlaygroundProcess {
  url: string;
  pid: number;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { spawnPlayground } = require('../../scripts/spawn-playground') as {
  spawnPlayground(env: Record<string, string>, timeoutMs?: number): Promise<PlaygroundProcess>;
};
