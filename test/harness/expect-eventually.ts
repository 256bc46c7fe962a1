/**
 * Retries `check` until it stops throwing, or fails with its last error after `timeoutMs`. Tests
 * wait for a condition with this, never with a fixed sleep.
 */
export async function expectEventually<T>(
  check: () => Promise<T> | T,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    try {
      return await check();
    } catch (error: unknown) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
