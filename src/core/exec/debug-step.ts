// What the interpreter offers a debugger or a tracer: a module prepared for
// debugging (prepare.ts, `debug` mode) is not fused, and has a P.step node
// before each instruction's node (and before each body's exit node, which
// stands for `end`). The loop runs a step node by saving its position into
// the configuration and calling `stepHooks.step`; the instruction itself
// then runs as always, through the one switch that gives every instruction
// its meaning. Normal preparation never makes step nodes, so the loop of a
// normal run never reaches that case.
//
// `stepHooks.trap` sees every trap leaving a configuration (configuration.ts),
// with the position of the last step node still saved in it: the trapping
// instruction, in debug-prepared code.
//
// One hook per process: the debugger and `--trace=core` are command-line
// tools that run one program at a time.

import type { Instr } from '../syntax/ast.js';
import type { Trap } from '../errors.js';
import type { Configuration } from './configuration.js';
import { P, PNode } from './node.js';

/** Where a step node stands in the function's AST: before `list[index]`, or at the end of `list` (index = list.length). */
export interface Site {
  readonly list: readonly Instr[];
  readonly index: number;
}

export interface StepHooks {
  /** Called before each instruction of debug-prepared code; the configuration's position is saved (its pc is the instruction's node). */
  step: ((t: Configuration, node: PNode) => void) | null;
  /** Called when a trap leaves a configuration (once per configuration it passes through). */
  trap: ((t: Configuration, e: Trap) => void) | null;
}

export const stepHooks: StepHooks = { step: null, trap: null };

const sites = new WeakMap<PNode, Site>();

/** A step node for the instruction at `list[index]` (or the end of `list`). */
export function stepNode(list: readonly Instr[], index: number, src: Instr): PNode {
  const n = new PNode(P.step, src);
  sites.set(n, { list, index });
  return n;
}

/** The site of a step node (undefined for any other node). */
export function siteOf(node: PNode): Site | undefined {
  return sites.get(node);
}
