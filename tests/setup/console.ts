/** For the rare test that expects console.error to be called (see fail-on-console-error.ts). */
export function expectConsoleError(): void {
  (globalThis as { __consoleErrorsAllowed?: boolean }).__consoleErrorsAllowed = true;
}
