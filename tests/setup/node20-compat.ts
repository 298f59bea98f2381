/**
 * Vitest 5 declares Node >= 22 but runs on Node 20 (this project's engines: >= 20.9), except
 * for a few newer built-ins its main process calls. Without Map.groupBy the reporter crashes
 * while printing failed tests ("Map.groupBy is not a function"), so failures show no details.
 * Loaded by vitest.config.mts (the main process); a no-op on Node >= 22.
 */
type GroupKey = (item: unknown, index: number) => unknown;

if (typeof (Map as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Map, "groupBy", {
    configurable: true,
    writable: true,
    value(items: Iterable<unknown>, key: GroupKey) {
      const out = new Map<unknown, unknown[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const group = out.get(k);
        if (group) group.push(item);
        else out.set(k, [item]);
      }
      return out;
    },
  });
}

if (typeof (Object as { groupBy?: unknown }).groupBy !== "function") {
  Object.defineProperty(Object, "groupBy", {
    configurable: true,
    writable: true,
    value(items: Iterable<unknown>, key: GroupKey) {
      const out: Record<PropertyKey, unknown[]> = Object.create(null);
      let i = 0;
      for (const item of items) {
        const k = key(item, i++) as PropertyKey;
        (out[k] ??= []).push(item);
      }
      return out;
    },
  });
}

if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (v: T | PromiseLike<T>) => void;
      let reject!: (e?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export {};
