// The errors every stage raises (decoding, validation, linking, traps), each
// carrying a message in the words of the official suites ("integer divide by
// zero", "unknown import", ...), so the harness can compare them with what an
// assertion expects. Here, beside the stages rather than inside one, so the
// decoders and validators import it without reaching into the runtime.

/** A failure while decoding bytes (assert_malformed). */
export class DecodeError extends Error {
  override name = 'DecodeError';
  constructor(message: string, readonly offset: number = -1) {
    super(message);
  }
}

/** A module or component that decodes but does not validate (assert_invalid). */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(message: string, readonly offset: number = -1) {
    super(message);
  }
}

/** Imports that do not match what a module needs (assert_unlinkable). */
export class LinkError extends Error {
  override name = 'LinkError';
  constructor(message: string) {
    super(message);
  }
}

/** A trap during execution (assert_trap, assert_exhaustion, assert_uninstantiable). */
export class Trap extends Error {
  override name = 'Trap';
  /**
   * Every suite message this trap may stand for, when the engine cannot tell
   * them apart (the host engine words some traps more coarsely than the
   * suites: one message for NaN and for out-of-range float-to-int input).
   * Absent when `message` is the only one.
   */
  readonly alternatives?: readonly string[];

  /**
   * The wasm frames the trap unwound, innermost first, where the engine
   * knows them (the interpreter does: `module!function`, by the name
   * section's names where it has them, else by index).
   */
  wasmBacktrace?: readonly string[];

  /** `options.cause`: what made the trap (the host's error when a host function failed, a core exception). */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Messages the suites expect, in one place so they are spelled once. */
export const TrapMessage = {
  unreachable: 'unreachable',
  divByZero: 'integer divide by zero',
  intOverflow: 'integer overflow',
  invalidConversion: 'invalid conversion to integer',
  outOfBoundsMemory: 'out of bounds memory access',
  outOfBoundsTable: 'out of bounds table access',
  undefinedElement: 'undefined element',
  uninitializedElement: 'uninitialized element',
  indirectCallTypeMismatch: 'indirect call type mismatch',
  callStackExhausted: 'call stack exhausted',
  nullExceptionReference: 'null exception reference',
  /** call_ref, return_call_ref of null. */
  nullFunctionReference: 'null function reference',
  /** ref.as_non_null of null. */
  nullReference: 'null reference',
  /** GC (3.0): struct.get/set, array.*, i31.get of null; an index or range beyond an array; a failed ref.cast. */
  nullStructureReference: 'null structure reference',
  nullArrayReference: 'null array reference',
  nullI31Reference: 'null i31 reference',
  outOfBoundsArray: 'out of bounds array access',
  castFailure: 'cast failure',
  /** GC: an array beyond what the interpreter allocates (the spec leaves the limit to the implementation). */
  arrayTooLarge: 'out of memory: array too large',
} as const;
