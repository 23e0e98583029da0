// A progress bar on stderr while it is a terminal, and nothing otherwise
// (a log or a pipe gets no control sequences): `cmr wast`/`cmr conformance`
// count files with it, `cmr compile` the functions it prepares.

import cliProgress from 'cli-progress';

/** A bar drawn on `stream` with cli-progress's `format` (`{bar}`, `{value}`, `{total}` and payload keys), or null when `stream` is not a terminal. */
export function progressBar(format: string, stream: NodeJS.WriteStream = process.stderr): cliProgress.SingleBar | null {
  if (!stream.isTTY) return null;
  return new cliProgress.SingleBar({ format, stream, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
}
