// Reading an unsigned LEB128 from module bytes the decoder has already
// accepted (so no bounds or length checks): for the native engine's
// rewrites of a module (reveal.ts, grow-caps.ts) and its reading of trap
// sites (traps.ts).

/** The unsigned LEB128 at `pos`, and the position after it. */
export function readU32(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    const b = bytes[pos++]!;
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [result, pos];
  }
}
