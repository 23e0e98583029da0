// Reading a component file, opened once. A serialized component
// (`cmr compile`'s output) is loaded while it is read: of the 24 MB form of
// the 12 MB componentize-js component, loading on the interpreter reads
// 4 MB: the header, the graph, the prepared heads and the binary but its
// code section. The records (11 MB, read on a function's first call) and the
// code sections (9 MB, hashed when a body is first decoded) are read on
// libuv's thread pool while the main thread reads the rest and deserializes
// it; the component is returned once every byte is in. Any other file is
// read whole from the same handle, so a pipe or FIFO is read once and
// nothing is read twice, unless its first 64 KiB already show that it holds
// no WebAssembly (no magic, and not text: cannotBeText): then those are all
// that is read, so /dev/zero or a sparse 2 GB file is refused at once.

import { fstatSync, read, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { cannotBeText, hasWasmMagic } from './file-bytes.js';
import { isSerialized, unreadAtLoading } from './serialize.js';
import { roomyBytes } from '../core/binary/room.js';

/** The first read: the header and the deferred code sections' table (40 bytes a module), with room to spare. */
const FIRST = 1 << 16;

/** The largest file read, as fs.readFile's own limit (2 GiB less a byte): a larger one is refused before anything is allocated. */
const MAX_FILE = 2 ** 31 - 1;

/** A file over MAX_FILE, refused in the words readFailure gives fs.readFile's refusal (its code). */
function tooLarge(): Error {
  return Object.assign(new RangeError('file larger than 2 GiB'), { code: 'ERR_FS_FILE_TOO_LARGE' });
}

/** Whether a file's first bytes already show that it is neither a WebAssembly binary, a serialized component, nor text (nor a .wast script). */
function neverWebAssembly(head: Uint8Array): boolean {
  return head.length >= 4 && !hasWasmMagic(head) && !isSerialized(head) && cannotBeText(head);
}

/** A component file: `loaded`, what `load` made of a serialized form while it was read; else the file's bytes, the caller's own. */
export type ComponentFile<T> = { loaded: T } | { bytes: Uint8Array };

/**
 * Reads `path`, opened once. A regular file that starts with a serialized
 * form's header, of this format version and size, goes to `load`
 * (deserializeComponent) before the ranges it does not read
 * (unreadAtLoading; `code`: the code sections too) have arrived, with the
 * byte of its buffer from which on none of those reads is still writing
 * (`busyUntil`), and what `load` returns is returned once they have. Any
 * other file, one that changed size while read, or every file when `load`
 * is null, is read whole and its bytes returned (the caller refuses or
 * decodes them). Errors of the file system are thrown as they are.
 */
export async function readComponentFile<T>(path: string, code: boolean, load: ((data: Uint8Array, busyUntil: number) => T) | null): Promise<ComponentFile<T>> {
  // Opened on the thread pool: opening a FIFO waits for its writer, which must not block this thread.
  const fh = await open(path, 'r');
  const fd = fh.fd;
  let pending: Promise<boolean>[] = [];
  try {
    const st = fstatSync(fd);
    const size = st.size;
    // What is not a regular file (a pipe, /dev/stdin, /dev/zero) is read as a stream.
    if (!st.isFile() || size === 0) return { bytes: await readStream(fh) };
    if (size > MAX_FILE) throw tooLarge();
    // With room in front: the native engine compiles a core module's
    // bytes in place where it can (core/binary/room.ts).
    const data = roomyBytes(size);
    const first = Math.min(size, FIRST);
    if (!readRange(fd, data, 0, first)) return { bytes: await readWhole(fh, data, 0) };
    if (neverWebAssembly(data.subarray(0, first))) return { bytes: data.slice(0, first) };
    const later = load !== null && isSerialized(data) ? unreadAtLoading(data.subarray(0, first), size, code) : null;
    if (later === null) return { bytes: await readWhole(fh, data, first) };
    // The thread pool reads the later ranges (one request each, so up to
    // its four threads at once) while this thread reads the rest.
    pending = later.map(([start, end]) => readLater(fd, data, Math.max(start, first), end));
    // Where in data's buffer no read may still be writing, for `load`.
    const busyUntil = later.reduce((b, [start, end]) => (Math.max(start, first) < end ? Math.max(b, data.byteOffset + end) : b), 0);
    // A read that ends early (the file shrank): the file as it is now, once
    // no read is still writing into `data`, for the caller to refuse.
    const shrank = async (): Promise<ComponentFile<T>> => {
      await Promise.allSettled(pending);
      pending = [];
      return { bytes: await readWhole(fh, data, 0) };
    };
    let at = first;
    for (const [start, end] of later) {
      if (start > at && !readRange(fd, data, at, start)) return await shrank();
      at = Math.max(at, end);
    }
    if (at < size && !readRange(fd, data, at, size)) return await shrank();
    let result: T | undefined;
    let failure: unknown = null;
    try {
      result = load!(data, busyUntil);
    } catch (e) {
      failure = e;
    }
    if (!(await Promise.all(pending)).every((x) => x)) return await shrank();
    pending = [];
    if (failure !== null) throw failure;
    return { loaded: result! };
  } finally {
    // Never close the file under a read still running on the thread pool.
    await Promise.allSettled(pending);
    await fh.close();
  }
}

/**
 * A file's bytes, read as a component file is (bounded, a stream refused
 * after 64 KiB that show no WebAssembly), for the commands that judge the
 * bytes themselves (cmr inspect, debug, run --engine jco).
 */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  const file = await readComponentFile<never>(path, false, null);
  if (!('bytes' in file)) throw new Error('unreachable: nothing is loaded without a load function');
  return file.bytes;
}

/**
 * The rest of a regular file from byte `from` into `data` (sized by its
 * fstat; bytes before `from` already read), each read one round trip
 * through the thread pool for as much as is left: fs.promises.readFile
 * reads 512 KiB at a time (fifty round trips for a 24 MB serialized
 * component, which cost more than the copying on a busy machine). A file
 * that shrank while read gives what it still had.
 */
async function readWhole(fh: FileHandle, data: Uint8Array, from: number): Promise<Uint8Array> {
  let at = from;
  while (at < data.length) {
    const { bytesRead } = await fh.read(data, at, data.length - at, at);
    if (bytesRead === 0) return data.subarray(0, at);
    at += bytesRead;
  }
  return data;
}

/**
 * A file that is not a regular one, read to its end: at most MAX_FILE
 * bytes, and only its first FIRST when they show it holds no WebAssembly
 * (a stream may never end).
 */
async function readStream(fh: FileHandle): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let filled: number;
  do {
    const chunk = new Uint8Array(FIRST);
    filled = 0;
    while (filled < FIRST) {
      const { bytesRead } = await fh.read(chunk, filled, FIRST - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    chunks.push(chunk.subarray(0, filled));
    total += filled;
    if (chunks.length === 1 && neverWebAssembly(chunks[0]!)) return chunks[0]!;
    if (total > MAX_FILE) throw tooLarge();
  } while (filled === FIRST);
  const whole = Buffer.concat(chunks, total);
  return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
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
