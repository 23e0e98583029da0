// The errors of the embedder API. A component that cannot be made (text
// that does not parse, bytes that do not decode, a component that does not
// validate, a feature the engine does not enable) is a ComponentError; an
// import that is missing or has the wrong type is a LinkError; a trap in
// wasm or in the canonical ABI is a Trap (HostcallFuelExhausted is one).

export { LinkError, Trap } from '../core/errors.js';
export { HostcallFuelExhausted } from '../component/canon/context.js';
export { NotImplemented } from '../component/runtime/instantiate.js';

/** Which step refused a component. */
export type ComponentErrorStage = 'read' | 'text' | 'decode' | 'validate' | 'feature' | 'deserialize';

/**
 * A component that could not be made: from text that wasm-tools could not
 * parse (`stage` 'text', with `line` and `col`), from bytes that do not
 * decode ('decode', with the byte `offset`), from a component that does not
 * validate ('validate', with the byte `offset` of the definition at fault
 * where known), or one that needs a feature the engine does not enable
 * ('feature'), a file that cannot be read ('read', naming the path), or
 * serialized bytes refused ('deserialize': another version or settings,
 * truncated or corrupted). Unknown positions are -1.
 */
export class ComponentError extends Error {
  override name = 'ComponentError';

  constructor(
    message: string,
    /** The step that refused the component. */
    readonly stage: ComponentErrorStage,
    /** Byte offset in the binary, or -1. */
    readonly offset: number = -1,
    /** 1-based line in the text, or -1. */
    readonly line: number = -1,
    /** 1-based column in the text, or -1. */
    readonly col: number = -1,
  ) {
    super(message);
  }
}
