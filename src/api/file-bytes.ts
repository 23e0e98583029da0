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

/**
 * A file's bytes as WebAssembly text, or null when they cannot be text
 * (invalid UTF-8, or cannotBeText's control characters). A control
 * character inside a comment is text, so a file starting as text goes to
 * the text parser, which says where such a character outside a comment is.
 */
export function wasmText(data: Uint8Array): string | null {
  let text: string;
  try {
    text = strictUtf8.decode(data);
  } catch {
    return null;
  }
  return cannotBeText(data) ? null : text;
}

/**
 * Whether `data` holds a byte that WebAssembly text never holds: text
 * format characters are printable or tab, newline, carriage return (spec
 * §6.3.1), and in UTF-8 a byte below 0x80 is always its own character, so
 * a file's first bytes alone can show that the file is not text.
 */
function hasNonTextByte(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b < 0x20 ? b !== 0x09 && b !== 0x0a && b !== 0x0d : b === 0x7f) return true;
  }
  return false;
}

/**
 * Whether a file's first bytes show that it holds neither WebAssembly text
 * nor a .wast script: a byte text never holds, while the first byte that is
 * not white space is neither `(` nor `;`. Text holds such bytes only inside
 * comments (the suites' comments.wast has them: the text format lets a comment
 * hold any character), and every module, component and script starts, after
 * white space, with a parenthesis or a comment; so a file refused on this
 * test is refused by the text grammar too, whatever follows.
 */
export function cannotBeText(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  if (i < head.length && (head[i] === 0x28 || head[i] === 0x3b)) return false;
  return hasNonTextByte(head);
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
