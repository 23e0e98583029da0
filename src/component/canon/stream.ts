// Streams (CanonicalABI.md "Stream State", definitions.py SharedStreamImpl,
// ReadableStreamEnd, WritableStreamEnd): one shared rendezvous between a
// readable and a writable end. A read or write that finds no partner
// waits as the pending one; the partner's copy moves min(remaining) values
// directly from the writer's buffer to the reader's.

import type { ValType } from '../syntax/types.js';
import type { ComponentInstance } from './context.js';
import { noneOrNumberType, type Buffer, type ReadableBuffer, type WritableBuffer } from './buffer.js';
import { CopyEnd, CopyResult, type SharedBase } from './copy-end.js';
import { trap } from './traps.js';

export type ReclaimBuffer = () => void;
export type OnCopy = (reclaim: ReclaimBuffer) => void;
export type OnCopyDone = (result: CopyResult) => void;

export class SharedStreamImpl implements SharedBase {
  dropped = false;
  pendingInst: ComponentInstance | null = null;
  pendingBuffer: Buffer | null = null;
  pendingOnCopy: OnCopy | null = null;
  pendingOnCopyDone: OnCopyDone | null = null;

  constructor(readonly t: ValType | null) {}

  resetPending(): void {
    this.setPending(null, null, null, null);
  }

  setPending(inst: ComponentInstance | null, buffer: Buffer | null, onCopy: OnCopy | null, onCopyDone: OnCopyDone | null): void {
    this.pendingInst = inst;
    this.pendingBuffer = buffer;
    this.pendingOnCopy = onCopy;
    this.pendingOnCopyDone = onCopyDone;
  }

  resetAndNotifyPending(result: CopyResult): void {
    const done = this.pendingOnCopyDone!;
    this.resetPending();
    done(result);
  }

  cancel(): void {
    this.resetAndNotifyPending(CopyResult.CANCELLED);
  }

  drop(): void {
    if (!this.dropped) {
      this.dropped = true;
      if (this.pendingBuffer !== null) this.resetAndNotifyPending(CopyResult.DROPPED);
    }
  }

  /** The spec's temporary rule: values other than numbers cannot go from a component to itself. */
  private checkIntraComponent(inst: ComponentInstance): void {
    if (inst === this.pendingInst && !noneOrNumberType(this.t)) trap('cannot read from and write to intra-component stream');
  }

  read(inst: ComponentInstance, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
    } else if (this.pendingBuffer === null) {
      this.setPending(inst, dst, onCopy, onCopyDone);
    } else {
      this.checkIntraComponent(inst);
      const src = this.pendingBuffer as ReadableBuffer;
      if (src.remain() > 0) {
        if (dst.remain() > 0) {
          const n = Math.min(dst.remain(), src.remain());
          dst.write(src.read(n));
          this.pendingOnCopy!(() => this.resetPending());
        }
        onCopyDone(CopyResult.COMPLETED);
      } else {
        this.resetAndNotifyPending(CopyResult.COMPLETED);
        this.setPending(inst, dst, onCopy, onCopyDone);
      }
    }
  }

  write(inst: ComponentInstance, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
    } else if (this.pendingBuffer === null) {
      this.setPending(inst, src, onCopy, onCopyDone);
    } else {
      this.checkIntraComponent(inst);
      const dst = this.pendingBuffer as WritableBuffer;
      if (dst.remain() > 0) {
        if (src.remain() > 0) {
          const n = Math.min(src.remain(), dst.remain());
          dst.write(src.read(n));
          this.pendingOnCopy!(() => this.resetPending());
        }
        onCopyDone(CopyResult.COMPLETED);
      } else if (src.isZeroLength() && dst.isZeroLength()) {
        onCopyDone(CopyResult.COMPLETED);
      } else {
        this.resetAndNotifyPending(CopyResult.COMPLETED);
        this.setPending(inst, src, onCopy, onCopyDone);
      }
    }
  }
}

export class ReadableStreamEnd extends CopyEnd {
  readonly kind = 'stream';
  readonly readable = true;
  declare readonly shared: SharedStreamImpl;

  copy(inst: ComponentInstance, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.shared.read(inst, dst, onCopy, onCopyDone);
  }
}

export class WritableStreamEnd extends CopyEnd {
  readonly kind = 'stream';
  readonly readable = false;
  declare readonly shared: SharedStreamImpl;

  copy(inst: ComponentInstance, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.shared.write(inst, src, onCopy, onCopyDone);
  }
}
