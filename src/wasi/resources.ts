// The WASI resources a host hands to guests: one host resource type per WIT
// resource, and one table of their state. The table is shared by every
// WasiCtx (each entry names its context), so a resource's destructor, which
// cmr registers per resource type, finds the state from the rep alone.

import { ResourceTable } from '../api/store.js';
import { ResourceType } from '../api/resource-type.js';
import { ResourceValue } from '../api/values.js';
import { trap } from '../component/canon/traps.js';
import type { WasiCtx } from './ctx.js';
import type { InputSource, OutputSink } from './streams.js';
import type { Descriptor, DirectoryEntry } from './filesystem.js';

/** The host resource types, by WIT resource (`wasi:io/streams.output-stream` is `outputStream`). */
export const wasiTypes = {
  error: ResourceType.host('wasi:io/error.error'),
  pollable: ResourceType.host('wasi:io/poll.pollable'),
  inputStream: ResourceType.host('wasi:io/streams.input-stream'),
  outputStream: ResourceType.host('wasi:io/streams.output-stream'),
  descriptor: ResourceType.host('wasi:filesystem/types.descriptor'),
  directoryEntryStream: ResourceType.host('wasi:filesystem/types.directory-entry-stream'),
  terminalInput: ResourceType.host('wasi:cli/terminal-input.terminal-input'),
  terminalOutput: ResourceType.host('wasi:cli/terminal-output.terminal-output'),
} as const;

/** The state behind one handle. */
export type HostResource =
  | { kind: 'error'; message: string; code: string | null }
  /** `deadline`: the host's monotonic time (process.hrtime) at which it is ready; null: always ready. */
  | { kind: 'pollable'; deadline: bigint | null }
  | { kind: 'input-stream'; stream: InputSource }
  | { kind: 'output-stream'; stream: OutputSink }
  | { kind: 'descriptor'; desc: Descriptor }
  | { kind: 'directory-entry-stream'; entries: DirectoryEntry[]; next: number }
  | { kind: 'terminal-input' }
  | { kind: 'terminal-output' };

type Kind = HostResource['kind'];

const TYPE_OF: Record<Kind, ResourceType> = {
  error: wasiTypes.error,
  pollable: wasiTypes.pollable,
  'input-stream': wasiTypes.inputStream,
  'output-stream': wasiTypes.outputStream,
  descriptor: wasiTypes.descriptor,
  'directory-entry-stream': wasiTypes.directoryEntryStream,
  'terminal-input': wasiTypes.terminalInput,
  'terminal-output': wasiTypes.terminalOutput,
};

const table = new ResourceTable<{ ctx: WasiCtx; res: HostResource }>();

/** Stores `res` for `ctx`; returns its rep. */
export function pushResource(ctx: WasiCtx, res: HostResource): number {
  const rep = table.push({ ctx, res });
  ctx.owned.add(rep);
  return rep;
}

/** A new owned handle value for `res`. */
export function own(ctx: WasiCtx, res: HostResource): ResourceValue {
  return new ResourceValue(TYPE_OF[res.kind], pushResource(ctx, res), true);
}

/** The state of a handle the guest passed in, which must be of kind `kind`. */
export function get<K extends Kind>(handle: ResourceValue, kind: K): Extract<HostResource, { kind: K }> {
  const entry = table.has(handle.rep) ? table.get(handle.rep) : undefined;
  // The canonical ABI checked the handle's type; a missing entry is one
  // that WasiCtx.close released while the guest still held it.
  if (entry === undefined || entry.res.kind !== kind) trap(`WASI ${kind} handle (rep ${handle.rep}) is no longer valid`);
  return entry.res as Extract<HostResource, { kind: K }>;
}

/** The destructor of every WASI resource type: frees the state, closing what it holds open. */
export function dropResource(rep: number): void {
  if (!table.has(rep)) return;
  const { ctx, res } = table.delete(rep);
  ctx.owned.delete(rep);
  release(res);
}

/** Frees everything `ctx` still holds. */
export function dropOwnedBy(ctx: WasiCtx): void {
  for (const rep of [...ctx.owned]) dropResource(rep);
}

function release(res: HostResource): void {
  if (res.kind === 'descriptor') res.desc.close();
  else if (res.kind === 'input-stream' || res.kind === 'output-stream') res.stream.close?.();
}
