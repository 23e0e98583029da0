// Streams and futures between the host and a guest (wasmtime's
// StreamReader/FutureReader and their host-side producers and consumers,
// in web idiom; the machinery is canon's host-sink.ts and host-source.ts).
//
// - A guest's `stream<T>` reaching the host (a result, or an argument of a
//   host function) is a web `ReadableStream<T>`, also an async iterable;
//   a `stream` without a payload yields one null per element. A guest's
//   `future<T>` is a `Promise<T>` (undefined for `future`).
// - The host passes a `stream<T>` as a ReadableStream, an async iterable
//   or an iterable (an array), and a `future<T>` as a Promise.
// - Cancelling the ReadableStream (reader.cancel(), breaking out of a
//   for-await loop, an aborted pipeTo) is cancel-read, then drop: the
//   guest's writer sees DROPPED. `closeHostEnd` does the same for either,
//   and `cancelOnAbort` when a signal aborts.

import { closeHostEnd as closeEnd } from '../component/canon/host-sink.js';

/**
 * Closes the host's end of a guest's stream or future (the ReadableStream
 * or Promise the host got): cancels a read in progress (cancel-read), then
 * drops the end, so the guest's writer sees DROPPED. The stream errors, and
 * the Promise rejects, with `reason`. False when `value` is neither (or is
 * closed already).
 */
export function closeHostEnd(value: ReadableStream<unknown> | Promise<unknown>, reason: unknown = new DOMException('the host closed the stream', 'AbortError')): boolean {
  return closeEnd(value, reason);
}

/**
 * Closes the host's end of `value` (see closeHostEnd) when `signal`
 * aborts, with the signal's reason; at once when it has aborted already.
 * Returns `value`.
 */
export function cancelOnAbort<V extends ReadableStream<unknown> | Promise<unknown>>(value: V, signal: AbortSignal): V {
  if (signal.aborted) closeEnd(value, signal.reason);
  else signal.addEventListener('abort', () => { closeEnd(value, signal.reason); }, { once: true });
  return value;
}
