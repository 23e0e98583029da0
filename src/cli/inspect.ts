// `cmr inspect <file>`: the imports and exports of a component (or a core
// module) with their types, in WIT-like text or as JSON. The file may hold
// a binary (.wasm) or text (.wat; a component or a module), which goes
// through the text front end first.
//
// Bad input of any kind ends in one line on stderr naming the file and
// where the fault is (the byte offset for binaries, line:col for text) and
// exit status 1; never a stack trace.

import { DecodeError, ValidationError } from '../core/errors.js';
import { componentJson, moduleJson, printModuleType, printWit } from '../component/print-wit.js';
import { binaryKind, typeOfBinary } from '../component/types.js';
import { TextError, watToBinary } from '../text/wat.js';
import { Component, ComponentError, Engine } from '../api/index.js';
import { EMBEDDED_CORE_FEATURES } from '../api/component.js';
import { isSerialized } from '../api/serialize.js';
import { readFailure } from '../api/read-failure.js';
import { readFileBytes } from '../api/read-serialized.js';
import { hasWasmMagic, NotWebAssemblyError, wasmText } from '../api/file-bytes.js';

export interface InspectOptions {
  /** Print JSON instead of WIT-like text. */
  json?: boolean;
}

function oneLine(message: string): string {
  return message.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(': ');
}

function offsetText(offset: number): string {
  return offset >= 0 ? `at offset 0x${offset.toString(16)}` : 'at an unknown offset';
}

/** Inspects `file`; returns the exit status (0, or 1 for unreadable, malformed or invalid input). */
export async function runInspect(file: string, opts: InspectOptions): Promise<number> {
  const err = (msg: string): number => {
    process.stderr.write(`cmr inspect: ${msg}\n`);
    return 1;
  };
  let bytes: Uint8Array;
  try {
    bytes = await readFileBytes(file);
  } catch (e) {
    return err(readFailure(file, e) ?? `cannot read ${file}: ${String(e)}`);
  }
  if (isSerialized(bytes)) return inspectSerialized(file, bytes, opts, err);
  // Judged as Component.fromFile judges it, in the same words (file-bytes.ts).
  const fromText = !hasWasmMagic(bytes);
  if (fromText) {
    const text = /\.wasm$/i.test(file) ? null : wasmText(bytes);
    if (text === null) return err(new NotWebAssemblyError(file, !/\.wasm$/i.test(file)).message);
    try {
      bytes = await watToBinary(text);
    } catch (e) {
      if (e instanceof TextError) {
        const where = e.line > 0 ? `:${e.line}:${e.col}` : '';
        return err(`${file}${where}: malformed text: ${oneLine(e.message)}`);
      }
      return err(`${file}: malformed text: ${oneLine(e instanceof Error ? e.message : String(e))}`);
    }
  }
  // Offsets of faults found in text refer to the bytes the text became.
  const of = fromText ? ' (in the binary the text encodes)' : '';
  try {
    if (binaryKind(bytes) === null && bytes.length >= 8 && hasWasmMagic(bytes)) {
      return err(`${file}: malformed ${offsetText(4)}${of}: unknown binary version`);
    }
    const t = typeOfBinary(bytes, EMBEDDED_CORE_FEATURES);
    let out: string;
    if (opts.json) out = `${JSON.stringify(t.kind === 'component' ? componentJson(t.type) : moduleJson(t.type), null, 2)}\n`;
    else out = t.kind === 'component' ? printWit(t.type) : printModuleType(t.type);
    process.stdout.write(out);
    return 0;
  } catch (e) {
    if (e instanceof DecodeError) return err(`${file}: malformed ${offsetText(e.offset)}${of}: ${oneLine(e.message)}`);
    if (e instanceof ValidationError) return err(`${file}: invalid ${offsetText(e.offset)}${of}: ${oneLine(e.message)}`);
    return err(`${file}: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
}

/** A component serialized by `cmr compile`: its type, read without decoding or validating. */
function inspectSerialized(file: string, bytes: Uint8Array, opts: InspectOptions, err: (msg: string) => number): number {
  let c: Component;
  try {
    // Every feature on: inspecting runs nothing.
    c = Component.deserialize(new Engine({ coreEngine: 'native', features: { simd: true, componentModelAsync: true } }), bytes);
  } catch (e) {
    if (e instanceof ComponentError) return err(`${file}: refused serialized component: ${oneLine(e.message)}`);
    return err(`${file}: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
  process.stdout.write(opts.json ? `${JSON.stringify(componentJson(c.type), null, 2)}\n` : printWit(c.type));
  return 0;
}
