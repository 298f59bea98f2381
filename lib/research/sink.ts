import { createHash } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";

/**
 * A file being written: text is buffered into ~64 KB chunks, hashed (sha256) and written with
 * back-pressure, so memory stays bounded and the checksum is known the moment the file closes.
 */
export class FileSink {
  private chunks: string[] = [];
  private pending = 0;
  private readonly hash = createHash("sha256");
  private readonly stream: WriteStream;
  bytes = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  async write(text: string): Promise<void> {
    this.chunks.push(text);
    this.pending += text.length;
    if (this.pending >= 65_536) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const buf = Buffer.from(this.chunks.join(""), "utf8");
    this.chunks = [];
    this.pending = 0;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.stream.write(buf)) await once(this.stream, "drain");
  }

  async close(): Promise<{ sha256: string; bytes: number }> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
    return { sha256: this.hash.digest("hex"), bytes: this.bytes };
  }

  /** Closes and discards (on failure). */
  destroy(): void {
    this.stream.destroy();
  }
}
