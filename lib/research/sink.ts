import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

/** Bytes gathered before they are hashed and handed to the file. */
const CHUNK = 256 * 1024;
/** How much may wait for the disk before write() makes its caller wait ("drain"). */
const HIGH_WATER = 1024 * 1024;
const DONE: Promise<void> = Promise.resolve();
/** What write() and writeBytes() return when the caller need not wait (compare with ===). */
export const WRITTEN = DONE;

/**
 * A file being written: text is encoded (UTF-8) straight into ~256 KB buffers, each hashed
 * (sha256) and written with back-pressure, so memory stays bounded and the checksum is known the
 * moment the file closes.
 *
 * Each piece of text is encoded on its own into the current buffer rather than joined into one
 * big string first: encoding a large joined string (flattening thousands of small concatenated
 * strings, mostly two-byte once any non-Latin-1 character appears) cost about five times more
 * CPU than everything else the export does per row. Bytes and order are exactly what
 * Buffer.from(allTextJoined, "utf8") would give. Buffers are reused once the file has them, so a
 * large export does not leave hundreds of megabytes of spent buffers for the garbage collector.
 */
export class FileSink {
  private buf: Buffer;
  private used = 0;
  private readonly spare: Buffer[] = [];
  private readonly hash = createHash("sha256");
  private readonly stream: WriteStream;
  bytes = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: HIGH_WATER });
    this.buf = Buffer.allocUnsafeSlow(CHUNK);
  }

  /**
   * Appends `text`. Everything happens synchronously, in call order; the promise only makes
   * the caller wait while more than HIGH_WATER bytes are waiting for the disk.
   */
  write(text: string): Promise<void> {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8 (a surrogate pair: 4 for 2).
    if (text.length * 3 <= CHUNK - this.used) {
      this.used += this.buf.write(text, this.used, "utf8");
      return DONE;
    }
    let full = this.sendBuffered();
    if (text.length * 3 > CHUNK) full = this.send(Buffer.from(text, "utf8"), null) || full;
    else this.used = this.buf.write(text, 0, "utf8");
    return full ? this.drained() : DONE;
  }

  /**
   * Appends the bytes src[start, end) — copied at once, so `src` may be reused after the call
   * (rows PostgreSQL formatted, straight from the protocol parser's buffer). Same promise as write().
   */
  writeBytes(src: Buffer, start: number, end: number): Promise<void> {
    const n = end - start;
    if (n <= CHUNK - this.used) {
      this.used += src.copy(this.buf, this.used, start, end);
      return DONE;
    }
    let full = this.sendBuffered();
    if (n > CHUNK) full = this.send(Buffer.from(src.subarray(start, end)), null) || full;
    else this.used = src.copy(this.buf, 0, start, end);
    return full ? this.drained() : DONE;
  }

  /** Hashes and writes `chunk`; true when the stream wants the writer to wait for "drain". */
  private send(chunk: Buffer, reuse: Buffer | null): boolean {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    return !this.stream.write(chunk, reuse ? () => this.spare.push(reuse) : undefined);
  }

  private sendBuffered(): boolean {
    if (this.used === 0) return false;
    const full = this.buf;
    const used = this.used;
    this.buf = this.spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
    this.used = 0;
    return this.send(full.subarray(0, used), full);
  }

  private async drained(): Promise<void> {
    await once(this.stream, "drain");
  }

  async close(): Promise<{ sha256: string; bytes: number }> {
    this.sendBuffered();
    this.stream.end();
    await once(this.stream, "finish");
    this.spare.length = 0;
    return { sha256: this.hash.digest("hex"), bytes: this.bytes };
  }

  /** Closes and discards (on failure). */
  destroy(): void {
    this.stream.destroy();
  }
}
