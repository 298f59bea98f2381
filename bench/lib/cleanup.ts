/**
 * The benchmarks' cleanup: steps registered as resources are made (a cluster, a server, a copy),
 * run once, in reverse order, on success, error and Ctrl-C.
 */
export function cleanupStack(tag: string, opts: { onSignals?: boolean } = {}) {
  const cleanups: { label: string; fn: () => unknown }[] = [];
  let cleaning: Promise<void> | undefined;
  const onCleanup = (label: string, fn: () => unknown) => void cleanups.push({ label, fn });
  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      for (const c of cleanups.reverse()) {
        try {
          await c.fn();
        } catch (err) {
          console.error(`[${tag}] cleanup (${c.label}) failed: ${(err as Error).message}`);
        }
      }
    })();
    return cleaning;
  };
  if (opts.onSignals ?? true) {
    for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(sig, () => {
        console.error(`[${tag}] ${sig}: stopping`);
        void cleanup().finally(() => process.exit(130));
      });
    }
  }
  return { onCleanup, cleanup };
}
