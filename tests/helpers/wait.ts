// Waiting for what another process or the background does: polls `condition` until it holds, or fails naming `what`.
export async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
