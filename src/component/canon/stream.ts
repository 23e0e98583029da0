// Streams (CanonicalABI.md "Stream State", definitions.py SharedStreamImpl,
// ReadableStreamEnd, WritableStreamEnd): one shared rendezvous between a
// readable and a writable end. A read or write that finds no partner
// waits as the pending one; the partner's copy moves min(remaining) values
// directly from the writer's buffer to the reader's.

import type { ValType } from '../syntax/types.js';
import type { ComponentInstance } from './context.js';
import type { Buffer, ReadableBuffer, WritableBuffer } from './buffer.js';
import { CopyEnd, CopyResult, SharedCopyImpl, type OnCopyDone, type SharedBase } from './copy-end.js';

export type ReclaimBuffer = () => void;
export type OnCopy = (reclaim: ReclaimBuffer) => void;
export type { OnCopyDone };

/**
 * definitions.py ReadableStream: what a readable stream end reads from,
 * implemented by a guest's stream (SharedStreamImpl) or by the host
 * (host-source.ts HostSource). The reader is a component instance, or null
 * for the host.
 */
export interface SharedReadableStream extends SharedBase {
  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void;
}

export class SharedStreamImpl extends SharedCopyImpl implements SharedReadableStream {
  pendingOnCopy: OnCopy | null = null;

  constructor(t: ValType | null) {
    super(t, 'stream');
  }

  override resetPending(): void {
    super.resetPending();
    this.pendingOnCopy = null;
  }

  setPending(inst: ComponentInstance | null, buffer: Buffer | null, onCopy: OnCopy | null, onCopyDone: OnCopyDone | null): void {
    this.pendingInst = inst;
    this.pendingBuffer = buffer;
    this.pendingOnCopy = onCopy;
    this.pendingOnCopyDone = onCopyDone;
  }

  read(inst: ComponentInstance | null, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
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
  declare readonly shared: SharedReadableStream;

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
