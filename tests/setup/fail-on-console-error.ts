import { afterEach, beforeEach, vi } from "vitest";

/**
 * A test fails if anything logs console.error that it did not expect: errors that are only
 * logged (a swallowed exception, a React warning) would otherwise pass unnoticed.
 * A test that expects an error log calls `expectConsoleError()` from tests/setup/console.ts.
 */
const state = globalThis as typeof globalThis & { __consoleErrors?: unknown[][]; __consoleErrorsAllowed?: boolean };

beforeEach(() => {
  state.__consoleErrors = [];
  state.__consoleErrorsAllowed = false;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    state.__consoleErrors!.push(args);
  });
});

afterEach(() => {
  const logged = state.__consoleErrors ?? [];
  const allowed = state.__consoleErrorsAllowed;
  vi.mocked(console.error).mockRestore();
  state.__consoleErrors = [];
  if (logged.length && !allowed) {
    const text = logged.map((args) => args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" ")).join("\n");
    throw new Error(`Unexpected console.error during the test:\n${text}`);
  }
});
