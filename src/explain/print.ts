// The text view of `cmr explain`: each function's canonical ABI plan, in
// the words of CanonicalABI.md (its function names in the explanations),
// for reading beside the spec.

import type { FunctionPlan } from './plan.js';
import type { TypeLayout } from './layout-view.js';
import { MAX_FLAT_ASYNC_PARAMS, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, type FlatType } from '../component/canon/flatten.js';

/** The legend printed once before the plans. */
export const LEGEND = `How to read this (CanonicalABI.md; the numbers come from cmr's canon/layout.ts and flatten.ts):
  size, align   elem_size and alignment: the bytes a value takes in linear memory and the boundary it starts on
  flat          flatten_type: the core values that carry the value as a parameter or result
  +N            a field's offset from the start of its record or variant (load_record, load_variant)
  despecialize  tuple is a record; enum, option and result are variants; map is a list of key-value tuples
`;

export function printPlans(plans: FunctionPlan[]): string {
  if (plans.length === 0) return 'The component exports no functions and lowers no imports.\n';
  return [LEGEND, ...plans.map(printPlan)].join('\n');
}

export function printPlan(p: FunctionPlan): string {
  const out: string[] = [];
  out.push(`${p.direction} ${p.name}: ${p.signature || '(type unknown)'}`);
  if (p.none !== undefined || !p.flat || !p.options) {
    out.push(`  no canonical ABI plan: ${p.none ?? 'nothing to show'}`);
    return out.join('\n') + '\n';
  }
  const lift = p.canon === 'lift';
  out.push(lift
    ? `  canon lift: the core function ${p.coreFunc} is called with the flat arguments; its results are lifted into component values`
    : `  canon lower: ${p.coreFunc}; core code calls it with flat arguments, which are lifted into component values for the import, whose results are lowered back`);

  const f = p.flat;
  out.push('', `  core signature (flatten_functype, ${p.canon}${p.options.async ? ', async' : ''}):  (func${sig('param', f.core.params)}${sig('result', f.core.results)})`);
  const paramLimit = p.options.async && !lift ? `MAX_FLAT_ASYNC_PARAMS (${MAX_FLAT_ASYNC_PARAMS})` : `MAX_FLAT_PARAMS (${MAX_FLAT_PARAMS})`;
  out.push(`    parameters: ${f.params.length} flat value${f.params.length === 1 ? '' : 's'} [${f.params.join(' ')}]`);
  out.push(f.paramsInMemory
    ? `      more than ${paramLimit}: they travel in linear memory as one tuple (${f.paramTuple!.size} bytes aligned to ${f.paramTuple!.align}) behind a single pointer (${lift ? 'the caller allocates it in the callee\'s memory with realloc' : 'the core caller stores them and passes the address'})`
    : `      at most ${paramLimit}: passed as core parameters, one per flat value`);
  out.push(`    results: ${f.results.length} flat value${f.results.length === 1 ? '' : 's'} [${f.results.join(' ')}]`);
  out.push(resultLine(p, lift));

  const o = p.options;
  out.push('', '  canonical options:');
  out.push(`    string-encoding  ${o.stringEncoding}${encodingNote(o.stringEncoding)}`);
  out.push(`    memory           ${o.memory ?? 'none (no value of this function is stored in memory)'}`);
  out.push(`    realloc          ${o.realloc ?? 'none'}${o.realloc ? (lift ? ' (allocates the arguments\' strings and lists in the callee\'s memory)' : ' (allocates the results\' strings and lists in the caller\'s memory)') : ''}`);
  if (lift) out.push(`    post-return      ${o.postReturn ?? 'none'}${o.postReturn ? ' (called after the results are lifted, to free them)' : ''}`);
  out.push(`    async            ${o.async ? 'yes' : 'no'}`);
  if (lift) out.push(`    callback         ${o.callback ?? 'none'}${o.callback ? ' (the event loop calls it with each event; the core function returns a status code)' : ''}`);

  out.push('', '  layout in linear memory:');
  for (const par of p.params) out.push(...layoutLines(`param ${par.name}`, par.layout, 4));
  if (p.result) out.push(...layoutLines('result', p.result, 4));
  if (p.params.length === 0 && !p.result) out.push('    (no parameters, no result)');
  return out.join('\n') + '\n';
}

function sig(word: string, ts: readonly FlatType[]): string {
  return ts.length === 0 ? '' : ` (${word} ${ts.join(' ')})`;
}

function resultLine(p: FunctionPlan, lift: boolean): string {
  const f = p.flat!;
  if (p.options!.async) {
    if (lift) return p.options!.callback
      ? '      async lift with a callback: the core function returns an i32 status code; the result is given with task.return'
      : '      async lift without a callback: the core function returns nothing; the result is given with task.return';
    return f.resultsInMemory
      ? '      async lower: the result is written through an out-pointer (the last core parameter); the i32 returned is the subtask\'s status'
      : '      async lower: the i32 returned is the subtask\'s status';
  }
  if (!f.resultsInMemory) return `      at most MAX_FLAT_RESULTS (${MAX_FLAT_RESULTS}): returned as core results`;
  const size = p.result ? `, ${p.result.size} bytes aligned to ${p.result.align}` : '';
  return lift
    ? `      more than MAX_FLAT_RESULTS (${MAX_FLAT_RESULTS}): the core function returns one i32, the address of the result in its memory${size}`
    : `      more than MAX_FLAT_RESULTS (${MAX_FLAT_RESULTS}): the core caller passes an out-pointer as the last parameter, and the result is stored there${size}`;
}

function encodingNote(e: string): string {
  switch (e) {
    case 'utf8': return ' (a string is (ptr, len): len counts bytes)';
    case 'utf16': return ' (a string is (ptr, len): len counts 16-bit code units, ptr aligned to 2)';
    default: return ' (a string is (ptr, tagged len): bit 31 of len (UTF16_TAG) set means UTF-16 code units, clear means Latin-1 bytes)';
  }
}

/** A type and, below it, what it is made of, offsets relative to its own start. */
function layoutLines(label: string, t: TypeLayout, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const spec = t.despecializedAs ? `, despecialized to a ${t.despecializedAs}` : '';
  const out = [`${pad}${label}: ${t.wit}  size ${t.size}, align ${t.align}, flat [${t.flat.join(' ')}]${spec}`];
  const inner = ' '.repeat(indent + 2);
  switch (t.kind) {
    case 'string':
      out.push(`${inner}+0 ptr: i32 (address of the characters)   +4 len: i32 (their length in the string encoding's units)`);
      return out;
    case 'own': case 'borrow':
      out.push(`${inner}an i32 index into the component instance's handle table, for a ${t.kind === 'own' ? 'resource it owns' : 'borrowed resource'} of type ${t.resource}`);
      return out;
    case 'stream': case 'future':
      out.push(`${inner}an i32 index of the ${t.kind}'s end in the component instance's table`);
      return out;
    case 'char':
      out.push(`${inner}a Unicode scalar value as a u32 (surrogates and values over 0x10FFFF trap)`);
      return out;
    case 'bool':
      out.push(`${inner}one byte, 0 or 1 (loading any non-zero byte gives true)`);
      return out;
    default:
      break;
  }
  if (t.fields) {
    for (const f of t.fields) out.push(...layoutLines(`+${f.offset} ${f.name}`, f.type, indent + 2));
  }
  if (t.cases) {
    out.push(`${inner}+0 discriminant: ${t.discriminant!.type} (discriminant_type: the smallest of u8, u16, u32 that numbers ${t.cases.length} cases)`);
    const payloads = t.cases.filter((c) => c.type !== null);
    if (payloads.length === 0) out.push(`${inner}no payload; cases ${t.cases.map((c) => `${c.index} ${c.name}`).join(', ')}`);
    else {
      out.push(`${inner}+${t.payloadOffset} payload (aligned to max_case_alignment), by case:`);
      for (const c of t.cases) {
        if (c.type === null) out.push(`${inner}  case ${c.index} ${c.name}: no payload`);
        else out.push(...layoutLines(`case ${c.index} ${c.name}`, c.type, indent + 4));
      }
    }
  }
  if (t.element) {
    if (t.length === null || t.length === undefined) {
      out.push(`${inner}+0 ptr: i32 (address of the elements)   +4 len: i32 (how many); element i at ptr + i * ${t.element.size}`);
    } else {
      out.push(`${inner}${t.length} elements in place, element i at +i * ${t.element.size}`);
    }
    out.push(...layoutLines('element', t.element, indent + 2));
  }
  if (t.flags) {
    out.push(`${inner}a bit vector: ${t.flags.map((f) => `bit ${f.bit} ${f.name}`).join(', ')}`);
  }
  return out;
}
