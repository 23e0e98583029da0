// Why a file could not be read, in one line for a user: the same words
// for every command and API entry point that reads a file.

/** `cannot read PATH: why` for a failed read (an errno error), or null when `e` is not one. */
export function readFailure(path: string, e: unknown): string | null {
  const err = e as NodeJS.ErrnoException | null;
  // fs.readFile's refusal of a file over 2 GiB (a RangeError, not an errno error).
  if (err?.code === 'ERR_FS_FILE_TOO_LARGE') return `cannot read ${path}: it is larger than 2 GiB`;
  if (typeof err?.code !== 'string' || typeof err.syscall !== 'string') return null;
  const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a folder, not a file' : err.code === 'EACCES' ? 'permission denied' : err.code === 'ENOTDIR' ? 'a part of the path is not a folder' : err.message;
  return `cannot read ${err.path ?? path}: ${why}`;
}
