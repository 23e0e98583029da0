// Futures (CanonicalABI.md "Future State", definitions.py SharedFutureImpl,
// ReadableFutureEnd, WritableFutureEnd): a stream of exactly one value.
// The writable end must write its value (or see the reader drop) before
// it may be dropped.

import type { ValType } from '../syntax/types.js';
import type { ComponentInstance } from './context.js';
import type { Buffer, ReadableBuffer, WritableBuffer } from './buffer.js';
import { CopyEnd, CopyResult, CopyState, SharedCopyImpl, type OnCopyDone, type SharedBase } from './copy-end.js';
import { trap } from './traps.js';

/**
 * definitions.py ReadableFuture: what a readable future end reads from, a
 * guest's future (SharedFutureImpl) or the host's (host-source.ts
 * HostFutureSource); the reader is a component instance, or null for the host.
 */
export interface SharedReadableFuture extends SharedBase {
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void;
}

export class SharedFutureImpl extends SharedCopyImpl implements SharedReadableFuture {
  constructor(t: ValType | null) {
    super(t, 'future');
  }

  setPending(inst: ComponentInstance | null, buffer: Buffer | null, onCopyDone: OnCopyDone | null): void {
    this.pendingInst = inst;
    this.pendingBuffer = buffer;
    this.pendingOnCopyDone = onCopyDone;
  }

  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    if (this.pendingBuffer === null) {
      this.setPending(inst, dst, onCopyDone);
    } else {
      this.checkIntraComponent(inst);
      dst.write((this.pendingBuffer as ReadableBuffer).read(1));
      this.resetAndNotifyPending(CopyResult.COMPLETED);
      onCopyDone(CopyResult.COMPLETED);
    }
  }

  write(inst: ComponentInstance, src: ReadableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
    } else if (this.pendingBuffer === null) {
      this.setPending(inst, src, onCopyDone);
    } else {
      this.checkIntraComponent(inst);
      (this.pendingBuffer as WritableBuffer).write(src.read(1));
      this.resetAndNotifyPending(CopyResult.COMPLETED);
      onCopyDone(CopyResult.COMPLETED);
    }
  }
}

export class ReadableFutureEnd extends CopyEnd {
  readonly kind = 'future';
  readonly readable = true;
  declare readonly shared: SharedReadableFuture;

  copy(inst: ComponentInstance, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    this.shared.read(inst, dst, onCopyDone);
  }
}

export class WritableFutureEnd extends CopyEnd {
  readonly kind = 'future';
  readonly readable = false;
  declare readonly shared: SharedFutureImpl;

  copy(inst: ComponentInstance, src: ReadableBuffer, onCopyDone: OnCopyDone): void {
    this.shared.write(inst, src, onCopyDone);
  }

  override drop(): void {
    if (this.state !== CopyState.DONE) trap('cannot drop future write end without first writing a value');
    super.drop();
  }
}
