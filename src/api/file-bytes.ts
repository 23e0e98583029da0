// What a file's bytes hold, as every command and Component.fromFile judge
// it: a WebAssembly binary (the `\0asm` magic), WebAssembly text, or
// neither, and the one sentence for neither (cmr run, inspect, explain,
// compile and debug word it alike).

import { ComponentError } from './errors.js';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Whether `bytes` start with the WebAssembly magic `\0asm` (core module or component alike). */
export function hasWasmMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && WASM_MAGIC.every((b, i) => bytes[i] === b);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A file's bytes as WebAssembly text, or null when they cannot be text (invalid UTF-8 or control characters). */
export function wasmText(data: Uint8Array): string | null {
  let text: string;
  try {
    text = strictUtf8.decode(data);
  } catch {
    return null;
  }
  // Text format characters are printable or tab, newline, carriage return (spec §6.3.1).
  return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text) ? null : text;
}

/**
 * A file that holds no WebAssembly: no magic header, and (unless its name
 * says it is a binary, `.wasm`, so text was not tried) not text either.
 * A ComponentError of stage 'decode' at byte 0.
 */
export class NotWebAssemblyError extends ComponentError {
  constructor(path: string, triedText: boolean) {
    super(`${path} is not WebAssembly: no \\0asm magic header${triedText ? ', and not text' : ''}`, 'decode', 0);
  }
}
