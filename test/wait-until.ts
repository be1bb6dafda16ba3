/**
 * Resolves once `probe` holds, polled every `everyMs`; fails naming `what` after `timeoutMs`
 * (generous: a busy machine only makes it later).
 */
export async function until(
  what: string,
  probe: () => Promise<boolean> | boolean,
  { timeoutMs = 120_000, everyMs = 10 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`not in ${timeoutMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
