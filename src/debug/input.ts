// Reading the debugger's commands. The debugger stops inside the
// interpreter's loop (a step hook) or inside the canonical ABI (a trace
// event), both synchronous JS, so it reads a command synchronously: one
// line from a file descriptor, blocking. That works the same for a
// terminal and for a pipe or file, which is how tests drive a session.

import { readSync } from 'node:fs';

/** Where commands come from: `next()` is the next line, or null at the end of input. */
export interface LineSource {
  next(): string | null;
  /** Whether a person types the commands (then the debugger does not echo them). */
  readonly interactive: boolean;
}

/** Lines read from a file descriptor (stdin by default), blocking. */
export class FdLines implements LineSource {
  private buffered = '';
  private eof = false;
  private readonly chunk = Buffer.alloc(4096);
  private readonly decoder = new TextDecoder();

  constructor(private readonly fd = 0, readonly interactive = false) {}

  next(): string | null {
    for (;;) {
      const nl = this.buffered.indexOf('\n');
      if (nl >= 0) {
        const line = this.buffered.slice(0, nl);
        this.buffered = this.buffered.slice(nl + 1);
        return line.replace(/\r$/, '');
      }
      if (this.eof) {
        if (this.buffered === '') return null;
        const last = this.buffered;
        this.buffered = '';
        return last;
      }
      const n = this.read();
      if (n === 0) this.eof = true;
      else this.buffered += this.decoder.decode(this.chunk.subarray(0, n), { stream: true });
    }
  }

  private read(): number {
    for (;;) {
      try {
        return readSync(this.fd, this.chunk, 0, this.chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A non-blocking descriptor with nothing yet: wait a little and try again.
        if (code === 'EAGAIN') { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); continue; }
        if (code === 'EOF') return 0;
        throw e;
      }
    }
  }
}

/** Lines from an array (tests of the session without a process). */
export class ArrayLines implements LineSource {
  readonly interactive = false;
  private i = 0;
  constructor(private readonly lines: readonly string[]) {}
  next(): string | null {
    return this.i < this.lines.length ? this.lines[this.i++]! : null;
  }
}
