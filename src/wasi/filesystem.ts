// wasi:filesystem (types, preopens) on node:fs synchronous calls.
//
// A descriptor is a host folder (its path) or an open file (its fd), with
// the rights the guest has through it. Paths a guest gives are resolved
// inside the preopened folder they come from: absolute paths, `..` above
// the preopen, and symbolic links that lead out of it are refused with
// `not-permitted`. A read-only preopen (preview2-shim has none) gives
// descriptors without the right to change anything, checked before any host
// call, with wasmtime's error codes: `not-permitted` for opening to write or
// create and for every change to a folder or to file metadata,
// `bad-descriptor` for writing through a descriptor opened to read.

import { createHash } from 'node:crypto';
import {
  constants, fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, futimesSync, linkSync, lstatSync, mkdirSync, openSync, closeSync,
  readdirSync, readlinkSync, readSync, realpathSync, renameSync, rmdirSync, statSync, symlinkSync, unlinkSync, utimesSync, writeSync,
  type BigIntStats, type Dirent,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Linker } from '../api/linker.js';
import type { ComponentValue, ResourceValue } from '../api/values.js';
import type { WasiCtx } from './ctx.js';
import { errorCodeOf, isFsError } from './errors.js';
import { type CtxOf, WasiInterface } from './link.js';
import { get, own, wasiTypes } from './resources.js';
import { FdInput, FdOutput, SharedFd } from './streams.js';

/** A `directory-entry`: its type and name. */
export interface DirectoryEntry {
  type: string;
  name: string;
}

/** The `descriptor-flags` record, every flag present. */
type DescriptorFlags = Record<'read' | 'write' | 'file-integrity-sync' | 'data-integrity-sync' | 'requested-write-sync' | 'mutate-directory', boolean>;

/** A refusal in WASI's words: thrown inside an operation, returned to the guest as `err(code)`. */
class FsFail {
  constructor(readonly code: string) {}
}

function fail(code: string): never {
  throw new FsFail(code);
}

/** The host side of a `descriptor`. */
export class Descriptor {
  constructor(
    /** The host path (for folders: what paths resolve against). */
    readonly host: string,
    /** The real path of the preopened folder it comes from: nothing outside it is reachable. */
    readonly root: string,
    /** The open file, or null for a folder. */
    readonly file: SharedFd | null,
    /** The flags it was opened with (`get-flags`). */
    readonly flags: DescriptorFlags,
    /** Whether the tree it belongs to may be changed (false under a read-only preopen). */
    readonly mutable: boolean,
  ) {}

  get isDir(): boolean {
    return this.file === null;
  }

  close(): void {
    this.file?.release();
  }

  /** The fd of a file descriptor; `is-directory` for a folder. */
  fd(): number {
    if (this.file === null) fail('is-directory');
    return this.file.fd;
  }

  /** Resolves `path` against this folder, inside its preopen (see the module comment). */
  resolve(path: string, followFinal: boolean): string {
    if (!this.isDir) fail('not-directory');
    if (path.includes('\0')) fail('invalid');
    if (path.startsWith('/')) fail('not-permitted');
    const stack = relative(this.root, this.host).split(sep).filter((s) => s !== '');
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (stack.length === 0) fail('not-permitted');
        stack.pop();
      } else {
        stack.push(part);
      }
    }
    const candidate = join(this.root, ...stack);
    // A symbolic link on the way (or at the end, when followed) may lead out.
    this.checkInside(followFinal ? candidate : dirname(candidate));
    return candidate;
  }

  /**
   * Fails with `not-permitted` when the real path of `p` (or of its nearest
   * existing folder) is outside the preopen. A link whose target does not
   * exist yet is judged by its target: creating through it (O_CREAT follows
   * it) would make the file there. `links` counts the links followed so.
   */
  private checkInside(p: string, links = 0): void {
    let real: string;
    try {
      real = realpathSync(p);
    } catch {
      const link = danglingLinkTarget(p);
      if (link !== null) {
        if (links >= MAX_LINKS) fail('loop');
        this.checkInside(link, links + 1);
        return;
      }
      // Not there (yet): its folder decides; the operation reports what is missing.
      if (p === this.root || dirname(p) === p) return;
      this.checkInside(dirname(p), links);
      return;
    }
    if (real !== this.root && !real.startsWith(this.root.endsWith(sep) ? this.root : this.root + sep)) fail('not-permitted');
  }

  /** Fails with `not-permitted` unless the folder's tree may be changed. */
  mustMutate(): void {
    if (!this.isDir) fail('not-directory');
    if (!this.mutable) fail('not-permitted');
  }

  stat(): BigIntStats {
    return this.file === null ? statSync(this.host, { bigint: true }) : fstatSync(this.file.fd, { bigint: true });
  }
}

/** Runs an operation: its value as `ok`, a refusal or an fs error as `err(error-code)`. */
function attempt(f: () => ComponentValue | undefined): ComponentValue {
  try {
    const v = f();
    return v === undefined ? { tag: 'ok' } : { tag: 'ok', val: v };
  } catch (e) {
    if (e instanceof FsFail) return { tag: 'err', val: e.code };
    if (isFsError(e)) return { tag: 'err', val: errorCodeOf(e) };
    throw e;
  }
}

function typeOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (s.isFile()) return 'regular-file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symbolic-link';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  if (s.isCharacterDevice()) return 'character-device';
  if (s.isBlockDevice()) return 'block-device';
  return 'unknown';
}

function datetime(ns: bigint): ComponentValue {
  return { tag: 'some', val: { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) } };
}

function descriptorStat(s: BigIntStats): ComponentValue {
  return {
    type: typeOf(s),
    'link-count': s.nlink,
    size: s.size,
    'data-access-timestamp': datetime(s.atimeNs),
    'data-modification-timestamp': datetime(s.mtimeNs),
    'status-change-timestamp': datetime(s.ctimeNs),
  };
}

/** `metadata-hash-value`: a digest of the device and inode, the same for the same object. */
function metadataHash(s: BigIntStats): ComponentValue {
  const d = createHash('sha256').update(`${s.dev}:${s.ino}`).digest();
  return { lower: d.readBigUInt64LE(0), upper: d.readBigUInt64LE(8) };
}

type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: { seconds: bigint; nanoseconds: number } };

/** The times to set, in seconds (what node:fs takes), keeping the current ones for `no-change`. */
function times(atime: NewTimestamp, mtime: NewTimestamp, current: () => BigIntStats): [number, number] {
  const one = (t: NewTimestamp, now: number, cur: () => bigint): number => {
    if (t.tag === 'now') return now;
    if (t.tag === 'timestamp') return Number(t.val.seconds) + t.val.nanoseconds / 1e9;
    return Number(cur()) / 1e9;
  };
  const now = Date.now() / 1000;
  return [one(atime, now, () => current().atimeNs), one(mtime, now, () => current().mtimeNs)];
}

/** Links followed at most in one path, as Linux's MAXSYMLINKS (40): more is `loop`. */
const MAX_LINKS = 40;

/** Where the symbolic link `p` points (resolved against its folder), or null when `p` is not a link. */
function danglingLinkTarget(p: string): string | null {
  try {
    if (!lstatSync(p).isSymbolicLink()) return null;
    return resolve(dirname(p), readlinkSync(p));
  } catch {
    return null;
  }
}

function descriptorOf(handle: ResourceValue): Descriptor {
  return get(handle, 'descriptor').desc;
}

function openAt(ctx: WasiCtx, dir: Descriptor, pathFlags: { 'symlink-follow': boolean }, path: string,
  oflags: { create: boolean; directory: boolean; exclusive: boolean; truncate: boolean }, flags: DescriptorFlags): ComponentValue {
  if (!dir.isDir) fail('not-directory');
  const changes = oflags.create || oflags.truncate || flags.write || flags['mutate-directory'];
  if (changes && !dir.mutable) fail('not-permitted');
  const host = dir.resolve(path, pathFlags['symlink-follow']);
  let mode = flags.write ? (flags.read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
  if (oflags.create) mode |= constants.O_CREAT;
  if (oflags.exclusive) mode |= constants.O_EXCL;
  if (oflags.truncate) mode |= constants.O_TRUNC;
  if (oflags.directory) mode |= constants.O_DIRECTORY;
  if (!pathFlags['symlink-follow']) mode |= constants.O_NOFOLLOW;
  const fd = openSync(host, mode, 0o666);
  let isDir: boolean;
  try {
    isDir = fstatSync(fd).isDirectory();
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  // Folders are kept by path (node:fs has no *at calls); files by fd.
  if (isDir) closeSync(fd);
  const desc = new Descriptor(host, dir.root, isDir ? null : new SharedFd(fd), { ...flags }, dir.mutable);
  return own(ctx, { kind: 'descriptor', desc });
}

function readDirectory(ctx: WasiCtx, dir: Descriptor): ComponentValue {
  if (!dir.isDir) fail('not-directory');
  const entries = readdirSync(dir.host, { withFileTypes: true }).map((d: Dirent) => ({ type: typeOf(d), name: d.name }));
  return own(ctx, { kind: 'directory-entry-stream', entries, next: 0 });
}

function syncDescriptor(d: Descriptor, dataOnly: boolean): void {
  if (d.file !== null) {
    (dataOnly ? fdatasyncSync : fsyncSync)(d.file.fd);
    return;
  }
  const fd = openSync(d.host, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Fails unless the descriptor is a file opened for writing: `not-permitted` in a read-only tree, else `bad-descriptor`. */
function mustWrite(d: Descriptor, code: 'bad-descriptor' | 'not-permitted'): void {
  if (d.isDir) fail('is-directory');
  if (!d.mutable) fail(code);
  if (!d.flags.write) fail('bad-descriptor');
}

function mustRead(d: Descriptor): void {
  if (d.isDir) fail('is-directory');
  if (!d.flags.read) fail('bad-descriptor');
}

const U64 = (n: bigint): number => (n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n));

export function addFilesystem<T>(linker: Linker<T>, ctxOf: CtxOf<T>): void {
  const fs = new WasiInterface(linker, ctxOf, 'wasi:filesystem/types')
    .resource('descriptor', wasiTypes.descriptor)
    .resource('directory-entry-stream', wasiTypes.directoryEntryStream)
    .resource('input-stream', wasiTypes.inputStream)
    .resource('output-stream', wasiTypes.outputStream)
    .resource('error', wasiTypes.error);
  const method = (name: string, impl: (ctx: WasiCtx, d: Descriptor, ...args: any[]) => ComponentValue | undefined) =>
    fs.func(`[method]descriptor.${name}`, (ctx, self: ResourceValue, ...args: any[]) => attempt(() => impl(ctx, descriptorOf(self), ...args)));

  method('read-via-stream', (ctx, d, offset: bigint) => {
    mustRead(d);
    return own(ctx, { kind: 'input-stream', stream: new FdInput(d.file!.retain(), U64(offset)) });
  });
  method('write-via-stream', (ctx, d, offset: bigint) => {
    mustWrite(d, 'bad-descriptor');
    return own(ctx, { kind: 'output-stream', stream: new FdOutput(d.file!.retain(), U64(offset)) });
  });
  method('append-via-stream', (ctx, d) => {
    mustWrite(d, 'bad-descriptor');
    return own(ctx, { kind: 'output-stream', stream: new FdOutput(d.file!.retain(), 'append') });
  });
  // Advice is a hint: files take it and ignore it; folders are not files (wasmtime: bad-descriptor).
  method('advise', (_ctx, d) => {
    if (d.isDir) fail('bad-descriptor');
    return undefined;
  });
  method('sync-data', (_ctx, d) => { syncDescriptor(d, true); return undefined; });
  method('sync', (_ctx, d) => { syncDescriptor(d, false); return undefined; });
  method('get-flags', (_ctx, d) => ({ ...d.flags }));
  method('get-type', (_ctx, d) => typeOf(d.stat()));
  method('set-size', (_ctx, d, size: bigint) => {
    mustWrite(d, 'not-permitted');
    ftruncateSync(d.fd(), U64(size));
    return undefined;
  });
  method('set-times', (_ctx, d, atime: NewTimestamp, mtime: NewTimestamp) => {
    if (!d.mutable) fail('not-permitted');
    const [a, m] = times(atime, mtime, () => d.stat());
    if (d.file === null) utimesSync(d.host, a, m);
    else futimesSync(d.file.fd, a, m);
    return undefined;
  });
  method('read', (_ctx, d, len: bigint, offset: bigint) => {
    mustRead(d);
    const buf = new Uint8Array(Math.min(U64(len), 1 << 26));
    const n = buf.length === 0 ? 0 : readSync(d.fd(), buf, 0, buf.length, U64(offset));
    // As wasmtime: the end of the file is a read that finds nothing.
    return [Array.from(buf.subarray(0, n)), n === 0];
  });
  method('write', (_ctx, d, buffer: number[], offset: bigint) => {
    mustWrite(d, 'bad-descriptor');
    const bytes = Uint8Array.from(buffer);
    let done = 0;
    while (done < bytes.length) done += writeSync(d.fd(), bytes, done, bytes.length - done, U64(offset) + done);
    return BigInt(done);
  });
  method('read-directory', (ctx, d) => readDirectory(ctx, d));
  method('create-directory-at', (_ctx, d, path: string) => {
    d.mustMutate();
    mkdirSync(d.resolve(path, false));
    return undefined;
  });
  method('stat', (_ctx, d) => descriptorStat(d.stat()));
  method('stat-at', (_ctx, d, pf: { 'symlink-follow': boolean }, path: string) => {
    const p = d.resolve(path, pf['symlink-follow']);
    return descriptorStat(pf['symlink-follow'] ? statSync(p, { bigint: true }) : lstatSync(p, { bigint: true }));
  });
  method('set-times-at', (_ctx, d, pf: { 'symlink-follow': boolean }, path: string, atime: NewTimestamp, mtime: NewTimestamp) => {
    d.mustMutate();
    const p = d.resolve(path, pf['symlink-follow']);
    const [a, m] = times(atime, mtime, () => (pf['symlink-follow'] ? statSync(p, { bigint: true }) : lstatSync(p, { bigint: true })));
    utimesSync(p, a, m);
    return undefined;
  });
  method('link-at', (_ctx, d, pf: { 'symlink-follow': boolean }, oldPath: string, newDir: ResourceValue, newPath: string) => {
    d.mustMutate();
    const target = descriptorOf(newDir);
    target.mustMutate();
    linkSync(d.resolve(oldPath, pf['symlink-follow']), target.resolve(newPath, false));
    return undefined;
  });
  method('open-at', (ctx, d, pf: { 'symlink-follow': boolean }, path: string, oflags, flags: DescriptorFlags) => openAt(ctx, d, pf, path, oflags, flags));
  method('readlink-at', (_ctx, d, path: string) => readlinkSync(d.resolve(path, false)));
  method('remove-directory-at', (_ctx, d, path: string) => {
    d.mustMutate();
    rmdirSync(d.resolve(path, false));
    return undefined;
  });
  method('rename-at', (_ctx, d, oldPath: string, newDir: ResourceValue, newPath: string) => {
    d.mustMutate();
    const target = descriptorOf(newDir);
    target.mustMutate();
    renameSync(d.resolve(oldPath, false), target.resolve(newPath, false));
    return undefined;
  });
  method('symlink-at', (_ctx, d, oldPath: string, newPath: string) => {
    d.mustMutate();
    // The link's text is read later against its own folder: it may not point out of the preopen either.
    if (isAbsolute(oldPath)) fail('not-permitted');
    symlinkSync(oldPath, d.resolve(newPath, false));
    return undefined;
  });
  method('unlink-file-at', (_ctx, d, path: string) => {
    d.mustMutate();
    unlinkSync(d.resolve(path, false));
    return undefined;
  });
  method('metadata-hash', (_ctx, d) => metadataHash(d.stat()));
  method('metadata-hash-at', (_ctx, d, pf: { 'symlink-follow': boolean }, path: string) => {
    const p = d.resolve(path, pf['symlink-follow']);
    return metadataHash(pf['symlink-follow'] ? statSync(p, { bigint: true }) : lstatSync(p, { bigint: true }));
  });
  fs.func('[method]descriptor.is-same-object', (_ctx, self: ResourceValue, other: ResourceValue) => {
    try {
      const a = descriptorOf(self).stat();
      const b = descriptorOf(other).stat();
      return a.dev === b.dev && a.ino === b.ino;
    } catch (e) {
      if (isFsError(e)) return false;
      throw e;
    }
  });
  fs.func('[method]directory-entry-stream.read-directory-entry', (_ctx, self: ResourceValue) => {
    const s = get(self, 'directory-entry-stream');
    const e = s.entries[s.next];
    if (e === undefined) return { tag: 'ok', val: { tag: 'none' } };
    s.next++;
    return { tag: 'ok', val: { tag: 'some', val: { type: e.type, name: e.name } } };
  });
  fs.func('filesystem-error-code', (_ctx, e: ResourceValue) => {
    const code = get(e, 'error').code;
    return code === null ? { tag: 'none' } : { tag: 'some', val: code };
  });

  new WasiInterface(linker, ctxOf, 'wasi:filesystem/preopens')
    .resource('descriptor', wasiTypes.descriptor)
    .func('get-directories', (ctx) => ctx.preopens.map((p) => {
      const flags: DescriptorFlags = {
        read: true, write: false, 'file-integrity-sync': false, 'data-integrity-sync': false, 'requested-write-sync': false, 'mutate-directory': !p.readOnly,
      };
      return [own(ctx, { kind: 'descriptor', desc: new Descriptor(p.host, p.host, null, flags, !p.readOnly) }), p.guest];
    }));
}
