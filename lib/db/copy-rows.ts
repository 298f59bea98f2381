import type pg from "pg";

/** Rows per batch handed to the caller, and batches held before the socket is paused. */
const COPY_BATCH_ROWS = 250;
const COPY_MAX_BATCHES = 2;

/**
 * COPY … TO STDOUT through node-postgres's "submittable" query interface (what pg-cursor and
 * pg-copy-streams build on): each CopyData message is one row. It is decoded at once — the
 * protocol parser reuses its buffer — and queued; past COPY_MAX_BATCHES queued batches the socket
 * is paused until the caller catches up. If the caller stops early, the rest of the rows are read
 * and dropped, so the connection is left ready for the next statement (ROLLBACK).
 */
export async function* copyRows(client: pg.Client, select: string): AsyncGenerator<string[]> {
  const queue: string[][] = [];
  let batch: string[] = [];
  let socket = null as { pause(): void; resume(): void } | null;
  let paused = false;
  let discard = false;
  let settled = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  let onSettled: () => void = () => undefined;
  const whenSettled = new Promise<void>((resolve) => (onSettled = resolve));
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const settle = () => {
    if (batch.length) queue.push(batch);
    batch = [];
    settled = true;
    onSettled();
    notify();
  };
  const submittable = {
    submit(connection: { stream: { pause(): void; resume(): void }; query(text: string): void }) {
      socket = connection.stream;
      connection.query(`COPY (${select}) TO STDOUT`);
    },
    handleCopyData(msg: { chunk: Buffer }) {
      if (discard) return;
      batch.push(msg.chunk.toString("utf8", 0, msg.chunk.length - 1));
      if (batch.length < COPY_BATCH_ROWS) return;
      queue.push(batch);
      batch = [];
      if (queue.length >= COPY_MAX_BATCHES && !paused) {
        paused = true;
        socket?.pause();
      }
      notify();
    },
    handleError(err: unknown) {
      failure ??= err;
      settle();
    },
    handleReadyForQuery() {
      settle();
    },
    handleCommandComplete() {},
    handleRowDescription() {},
    handleDataRow() {},
    handleEmptyQuery() {},
    handlePortalSuspended() {},
    handleCopyInResponse() {},
  };
  client.query(submittable as unknown as pg.Submittable);
  try {
    for (;;) {
      if (failure) throw failure;
      const next = queue.shift();
      if (next) {
        if (paused && queue.length < COPY_MAX_BATCHES / 2) {
          paused = false;
          socket?.resume();
        }
        yield next;
      } else if (settled) {
        return;
      } else {
        await new Promise<void>((resolve) => (wake = resolve));
      }
    }
  } finally {
    if (!settled) {
      discard = true;
      queue.length = 0;
      if (paused) {
        paused = false;
        socket?.resume();
      }
      await whenSettled;
    }
  }
}

/**
 * `copyStatement` (a whole `COPY (…) TO STDOUT …`) with every CopyData message handed to `onData`
 * as it is parsed: the bytes of one row exactly as PostgreSQL wrote them (for FORMAT csv: the
 * record with its newline; for FORMAT binary: the row's fields, the first message also carrying
 * the file header). The chunk is only valid during the call (the protocol parser reuses its
 * buffer): copy what you keep. When `onData` returns a promise the socket is paused until it
 * settles (messages already received still arrive), so memory stays bounded. Resolves when the
 * statement has completed; rejects with its error (or with the first error `onData` returned).
 */
export function copyOut(client: pg.Client, copyStatement: string, onData: (chunk: Buffer) => Promise<void> | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let socket = null as { pause(): void; resume(): void } | null;
    let waiting = false;
    let failure: unknown = null;
    const submittable = {
      submit(connection: { stream: { pause(): void; resume(): void }; query(text: string): void }) {
        socket = connection.stream;
        connection.query(copyStatement);
      },
      handleCopyData(msg: { chunk: Buffer }) {
        if (failure) return;
        let wait: Promise<void> | undefined;
        try {
          wait = onData(msg.chunk);
        } catch (err) {
          failure = err;
          return;
        }
        if (!wait) return;
        if (waiting) {
          // Already paused for an earlier promise: only its failure matters (never unhandled).
          wait.catch((err: unknown) => {
            failure ??= err;
          });
          return;
        }
        waiting = true;
        socket?.pause();
        wait.then(
          () => {
            waiting = false;
            socket?.resume();
          },
          (err: unknown) => {
            failure ??= err;
            waiting = false;
            socket?.resume();
          },
        );
      },
      handleError(err: unknown) {
        failure ??= err;
      },
      handleReadyForQuery() {
        if (failure) reject(failure);
        else resolve();
      },
      handleCommandComplete() {},
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyInResponse() {},
    };
    client.query(submittable as unknown as pg.Submittable);
  });
}
