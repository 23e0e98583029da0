// Room in front of a component's bytes, lent while it loads.
//
// The native engine compiles each core module with extra exports in its
// export section (native/reveal.ts), which comes before the code and data
// sections: nearly every byte of a large module. Joining the rewritten head
// to those sections in a new buffer, which V8 then copies again, costs more
// than a copy should: the first write to fresh memory faults each page in
// (~3 ms a MB on a loaded machine: ~35 ms for the 12 MB componentize-js
// module). So the buffers cmr allocates for a component's bytes (a file
// read, the copy of a caller's bytes) have room in front, never written
// unless used, and while the component loads the buffer is lent: the head
// is written over the bytes right before the module's rest, ending where
// they end, that range handed to WebAssembly.compile (which copies its
// argument before it returns: JS API, "a copy of the bytes held by the
// buffer"), and the bytes overwritten put back, in one synchronous step
// that no other code on this thread can see. Only a buffer no other thread
// touches is lent: never a caller's own, and not the part of a file that
// the thread pool may still be reading into (read-serialized.ts). Anything
// else gets the head and the rest joined in a new buffer, as before.

/** The buffers cmr allocated with roomyBytes: those that may be lent. */
const own = new WeakSet<ArrayBufferLike>();
/** The buffers lent now, each from the first byte that may be overwritten. */
const lent = new Map<ArrayBufferLike, number>();

/**
 * Room in front of `size` bytes: 64 KiB and a sixteenth. The revealing
 * exports of a real component's core module take up to 1% of its size
 * (componentize-js: 113 KB of 12 MB; wasmtime's test programs under 0.1%):
 * a head that outgrows the room is joined in a new buffer instead.
 */
function roomFor(size: number): number {
  return (1 << 16) + Math.ceil(size / 16);
}

/** `size` bytes, uninitialised, in a buffer of cmr's own with room in front (lend). */
export function roomyBytes(size: number): Uint8Array {
  const room = roomFor(size);
  const buffer = Buffer.allocUnsafeSlow(room + size).buffer;
  own.add(buffer);
  return new Uint8Array(buffer, room, size);
}

/** A copy of `bytes` with room in front (lend). */
export function roomyCopy(bytes: Uint8Array): Uint8Array {
  const out = roomyBytes(bytes.length);
  out.set(bytes);
  return out;
}

/**
 * Runs `use` with `bytes`'s buffer lent from its byte `from` to its end,
 * when roomyBytes made it (else it runs `use` alone). The caller vouches
 * that no other thread touches that part while `use` runs.
 */
export function lend<T>(bytes: Uint8Array, from: number, use: () => T): T {
  const buffer = bytes.buffer;
  if (!own.has(buffer) || lent.has(buffer)) return use();
  lent.set(buffer, from);
  try {
    return use();
  } finally {
    lent.delete(buffer);
  }
}

/**
 * Calls `use` with `head` followed by `bytes` from `tailAt` on, as one
 * array: in `bytes`'s own buffer when it is lent with room for the head
 * (the bytes the head covers are put back before this returns), else in a
 * new one. `use` must copy what it needs before it returns, and must not
 * run other code meanwhile.
 */
export function joined<T>(head: Uint8Array, bytes: Uint8Array, tailAt: number, use: (joined: Uint8Array) => T): T {
  const end = bytes.byteOffset + tailAt;
  const start = end - head.length;
  const from = lent.get(bytes.buffer);
  if (from === undefined || start < from) {
    const out = new Uint8Array(head.length + bytes.length - tailAt);
    out.set(head);
    out.set(bytes.subarray(tailAt), head.length);
    return use(out);
  }
  const whole = new Uint8Array(bytes.buffer);
  const covered = whole.slice(start, end);
  whole.set(head, start);
  try {
    return use(whole.subarray(start, bytes.byteOffset + bytes.length));
  } finally {
    whole.set(covered, start);
  }
}
