// Stream and future values belong to the async canonical ABI (CanonicalABI.md
// "Stream State", "Future State", lift_stream/lower_stream, ...). load/store
// and lift/lower reach them through this hook, which copy.ts installs, so
// that those modules need not import the stream and future machinery
// (which imports them).

import type { DefinedType } from '../syntax/types.js';
import type { LiftLowerContext } from './context.js';
import type { ComponentValue } from './values.js';

type StreamType = Extract<DefinedType, { kind: 'stream' }>;
type FutureType = Extract<DefinedType, { kind: 'future' }>;

export interface AsyncValueHandlers {
  liftStream(cx: LiftLowerContext, i: number, t: StreamType): ComponentValue;
  liftFuture(cx: LiftLowerContext, i: number, t: FutureType): ComponentValue;
  lowerStream(cx: LiftLowerContext, v: unknown, t: StreamType): number;
  lowerFuture(cx: LiftLowerContext, v: unknown, t: FutureType): number;
}

const unsupported = (): never => {
  throw new Error('stream and future values need the async canonical ABI engine');
};

let handlers: AsyncValueHandlers = {
  liftStream: unsupported,
  liftFuture: unsupported,
  lowerStream: unsupported,
  lowerFuture: unsupported,
};

export function asyncValues(): AsyncValueHandlers {
  return handlers;
}

export function setAsyncValueHandlers(h: AsyncValueHandlers): void {
  handlers = h;
}
