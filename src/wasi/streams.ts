// What wasi:io/streams handles read from and write to, on the host side.
// Every operation completes synchronously: the native engine cannot suspend
// wasm frames, so a "blocking" read of the process's stdin blocks the
// thread (fs.readSync), and every output is written through at once (so a
// flush has nothing left to do and `check-write` can always permit a
// chunk).

import { closeSync, fstatSync, readSync, writeSync } from 'node:fs';

/** What a read gives: bytes (possibly none, for a read of 0), or the end of the stream, or a failure. */
export type ReadResult = Uint8Array | 'closed' | { error: unknown };

/** The source behind input-stream handles. */
export interface InputSource {
  /** Up to `max` bytes; blocks until at least one is there, unless `max` is 0. */
  read(max: number): ReadResult;
  /** Releases what the source holds (a file handle). */
  close?(): void;
}

/** The destination behind output-stream handles. */
export interface OutputSink {
  /** How many bytes the next write may hold, or 'closed' when nothing more can be written. */
  checkWrite(): number | 'closed';
  /** Writes all of `bytes` (at most what checkWrite permitted); null on success. */
  write(bytes: Uint8Array): null | 'closed' | { error: unknown };
  close?(): void;
}

/** What check-write permits at a time: every write completes at once, so this only bounds one copy. */
export const WRITE_PERMIT = 1 << 20;

/** The end of input at once (stdin not configured). */
export class EmptyInput implements InputSource {
  read(): ReadResult {
    return 'closed';
  }
}

/** Fixed bytes, then the end of input. */
export class BytesInput implements InputSource {
  private pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  read(max: number): ReadResult {
    if (this.pos >= this.bytes.length) return max === 0 ? new Uint8Array(0) : 'closed';
    const out = this.bytes.slice(this.pos, this.pos + max);
    this.pos += out.length;
    return out;
  }
}

/** A file descriptor shared by a descriptor and the streams made from it: closed when the last of them lets go. */
export class SharedFd {
  private refs = 1;
  constructor(readonly fd: number) {}
  retain(): this {
    this.refs++;
    return this;
  }
  release(): void {
    if (--this.refs === 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Already gone: nothing to release.
      }
    }
  }
}

/**
 * Reads from a file descriptor: a file from an offset (`position` advances
 * with each read), or a stream such as the process's stdin (`position`
 * null). End of file is the end of the stream.
 */
export class FdInput implements InputSource {
  constructor(
    private readonly fd: number | SharedFd,
    private position: number | null,
    /** The process's own descriptor: never closed. */
    private readonly borrowed = false,
  ) {}

  read(max: number): ReadResult {
    if (max === 0) return new Uint8Array(0);
    const buf = new Uint8Array(Math.min(max, WRITE_PERMIT));
    const fd = typeof this.fd === 'number' ? this.fd : this.fd.fd;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, this.position);
      } catch (e) {
        // A non-blocking stdin (some terminals and pipes): wait for input.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          sleepMs(5);
          continue;
        }
        if ((e as NodeJS.ErrnoException).code === 'EOF') return 'closed';
        return { error: e };
      }
      if (n === 0) return 'closed';
      if (this.position !== null) this.position += n;
      return buf.subarray(0, n);
    }
  }

  close(): void {
    if (!this.borrowed && typeof this.fd !== 'number') this.fd.release();
  }
}

/** Writes to a file descriptor: a file at an offset that advances, at its end ('append'), or a stream (the process's stdout or stderr). */
export class FdOutput implements OutputSink {
  constructor(
    private readonly fd: number | SharedFd,
    private position: number | 'append' | 'stream',
  ) {}

  checkWrite(): number {
    return WRITE_PERMIT;
  }

  write(bytes: Uint8Array): null | { error: unknown } {
    const fd = typeof this.fd === 'number' ? this.fd : this.fd.fd;
    let done = 0;
    try {
      while (done < bytes.length) {
        let n: number;
        try {
          // Appending: at the end of the file as it is now (the fd has no O_APPEND).
          const pos = this.position === 'append' ? fstatSync(fd).size : this.position === 'stream' ? null : this.position;
          n = writeSync(fd, bytes, done, bytes.length - done, pos);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
            sleepMs(1);
            continue;
          }
          throw e;
        }
        done += n;
        if (typeof this.position === 'number') this.position += n;
      }
    } catch (e) {
      return { error: e };
    }
    return null;
  }

  close(): void {
    if (typeof this.fd !== 'number') this.fd.release();
  }
}

/** Hands each write to a JS function (a copy: the guest's memory is not shared). */
export class SinkOutput implements OutputSink {
  constructor(private readonly sink: (bytes: Uint8Array) => void) {}
  checkWrite(): number {
    return WRITE_PERMIT;
  }
  write(bytes: Uint8Array): null {
    if (bytes.length > 0) this.sink(bytes.slice());
    return null;
  }
}

/** Keeps what is written (wasmtime's MemoryOutputPipe), up to an optional capacity. */
export class PipeOutput implements OutputSink {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  constructor(private readonly capacity: number | null) {}
  checkWrite(): number | 'closed' {
    if (this.capacity === null) return WRITE_PERMIT;
    const left = this.capacity - this.size;
    return left === 0 ? 'closed' : Math.min(left, WRITE_PERMIT);
  }
  write(bytes: Uint8Array): null | 'closed' {
    if (this.capacity !== null && this.size + bytes.length > this.capacity) return 'closed';
    this.chunks.push(bytes.slice());
    this.size += bytes.length;
    return null;
  }
  contents(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` milliseconds (the guest cannot be suspended, so waiting is sleeping). */
export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
}
