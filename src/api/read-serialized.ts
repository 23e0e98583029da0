// Reading a serialized component file (`cmr compile`'s output) so that
// loading overlaps the reading. Of the 24 MB form of the 12 MB
// componentize-js component, loading on the interpreter reads 4 MB: the
// header, the graph, the prepared heads and the binary but its code
// section. The records (11 MB, read on a function's first call) and the
// code sections (9 MB, hashed when a body is first decoded) are read on
// libuv's thread pool while the main thread reads the rest and
// deserializes it; the component is returned once every byte is in.

import { fstatSync, read, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isSerialized, unreadAtLoading } from './serialize.js';

/** The first read: the header and the deferred code sections' table (40 bytes a module), with room to spare. */
const FIRST = 1 << 16;

/**
 * Reads `path` and gives its bytes to `load` (deserializeComponent) before
 * the ranges it does not read (unreadAtLoading; `code`: the code sections
 * too) have arrived, and returns what `load` returns once they have. Null
 * when `path` is not a regular file that starts with a serialized form's
 * header, or it changed size while read: the caller reads it as any file.
 * Errors of the file system are thrown as they are.
 */
export async function loadSerializedFile<T>(path: string, code: boolean, load: (data: Uint8Array) => T): Promise<T | null> {
  // Opened on the thread pool: opening a FIFO waits for its writer, which must not block this thread.
  const fh = await open(path, 'r');
  const fd = fh.fd;
  let pending: Promise<boolean>[] = [];
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return null;
    const size = st.size;
    const data = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
    const first = Math.min(size, FIRST);
    if (!readRange(fd, data, 0, first) || !isSerialized(data)) return null;
    const later = unreadAtLoading(data.subarray(0, first), size, code);
    if (later === null) return null;
    // The thread pool reads the later ranges (one request each, so up to
    // its four threads at once) while this thread reads the rest.
    pending = later.map(([start, end]) => readLater(fd, data, Math.max(start, first), end));
    let at = first;
    for (const [start, end] of later) {
      if (start > at && !readRange(fd, data, at, start)) return null;
      at = Math.max(at, end);
    }
    if (at < size && !readRange(fd, data, at, size)) return null;
    let result: T | undefined;
    let failure: unknown = null;
    try {
      result = load(data);
    } catch (e) {
      failure = e;
    }
    const done = pending;
    pending = [];
    // A read that ends early (the file shrank) makes the whole read the caller's.
    if (!(await Promise.all(done)).every((x) => x)) return null;
    if (failure !== null) throw failure;
    return result!;
  } finally {
    // Never close the file under a read still running on the thread pool.
    await Promise.allSettled(pending);
    await fh.close();
  }
}

/** Reads bytes [start, end) of `fd` into the same place of `data`; false at an early end of the file. */
function readRange(fd: number, data: Uint8Array, start: number, end: number): boolean {
  while (start < end) {
    const n = readSync(fd, data, start, end - start, start);
    if (n === 0) return false;
    start += n;
  }
  return true;
}

/** readRange on the thread pool. */
function readLater(fd: number, data: Uint8Array, start: number, end: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const step = (): void => {
      if (start >= end) return resolve(true);
      read(fd, data, start, end - start, start, (e, n) => {
        if (e) return reject(e);
        if (n === 0) return resolve(false);
        start += n;
        step();
      });
    };
    step();
  });
}
