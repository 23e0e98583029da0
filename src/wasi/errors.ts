// Host failures in WASI's words: a Node.js fs error's code as a
// wasi:filesystem `error-code`. Anything that is not an fs error (a bug in
// the host) is not turned into an error code: it is thrown on.

/** errno names (as Node spells them in `err.code`) to `error-code` cases. */
const ERROR_CODES: Record<string, string> = {
  EACCES: 'access', EAGAIN: 'would-block', EWOULDBLOCK: 'would-block', EALREADY: 'already', EBADF: 'bad-descriptor',
  EBUSY: 'busy', EDEADLK: 'deadlock', EDQUOT: 'quota', EEXIST: 'exist', EFBIG: 'file-too-large',
  EILSEQ: 'illegal-byte-sequence', EINPROGRESS: 'in-progress', EINTR: 'interrupted', EINVAL: 'invalid', EIO: 'io',
  EISDIR: 'is-directory', ELOOP: 'loop', EMLINK: 'too-many-links', EMSGSIZE: 'message-size', ENAMETOOLONG: 'name-too-long',
  ENODEV: 'no-device', ENOENT: 'no-entry', ENOLCK: 'no-lock', ENOMEM: 'insufficient-memory', ENOSPC: 'insufficient-space',
  ENOTDIR: 'not-directory', ENOTEMPTY: 'not-empty', ENOTRECOVERABLE: 'not-recoverable', ENOTSUP: 'unsupported',
  EOPNOTSUPP: 'unsupported', ENOTTY: 'no-tty', ENXIO: 'no-such-device', EOVERFLOW: 'overflow', EPERM: 'not-permitted',
  EPIPE: 'pipe', EROFS: 'read-only', ESPIPE: 'invalid-seek', ETXTBSY: 'text-file-busy', EXDEV: 'cross-device',
  EMFILE: 'insufficient-memory', ENFILE: 'insufficient-memory',
};

/** True for an error thrown by a node:fs call (it carries an errno name). */
export function isFsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).errno === 'number';
}

/** The `error-code` of an fs error (`io` for an errno WASI has no name for); rethrows anything else. */
export function errorCodeOf(e: unknown): string {
  if (!isFsError(e)) throw e;
  return ERROR_CODES[e.code!] ?? 'io';
}
