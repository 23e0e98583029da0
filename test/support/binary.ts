// Writing the binary format by hand, for tests that build modules and
// components byte by byte (malformed ones, or shapes the text format cannot
// express cheaply).

/** Unsigned LEB128 of a non-negative integer (below 2^53). */
export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section: its id, its size, its contents. */
export function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}
