// Prints a component's type in WIT-like text (WIT.md), for `cmr inspect`.
// Named types print by the name they were imported or exported under where
// one is known; anonymous ones print structurally.

import { ResourceType, type ComponentType, type ExternType, type FuncType, type InstanceType, type Type, type ValType } from './syntax/types.js';

export function valTypeToWit(t: ValType): string {
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'list': return t.length === null ? `list<${valTypeToWit(t.elem)}>` : `list<${valTypeToWit(t.elem)}, ${t.length}>`;
    case 'tuple': return `tuple<${t.types.map(valTypeToWit).join(', ')}>`;
    case 'option': return `option<${valTypeToWit(t.type)}>`;
    case 'result': {
      if (t.ok === null && t.err === null) return 'result';
      if (t.err === null) return `result<${valTypeToWit(t.ok!)}>`;
      return `result<${t.ok === null ? '_' : valTypeToWit(t.ok)}, ${valTypeToWit(t.err)}>`;
    }
    case 'own': return t.resource.name ?? `resource#${t.resource.id}`;
    case 'borrow': return `borrow<${t.resource.name ?? `resource#${t.resource.id}`}>`;
    case 'stream': case 'future': return t.elem === null ? t.kind : `${t.kind}<${valTypeToWit(t.elem)}>`;
    case 'map': return `map<${valTypeToWit(t.key)}, ${valTypeToWit(t.value)}>`;
    case 'record': return `record { ${t.fields.map((f) => `${f.name}: ${valTypeToWit(f.type)}`).join(', ')} }`;
    case 'variant': return `variant { ${t.cases.map((c) => (c.type === null ? c.name : `${c.name}(${valTypeToWit(c.type)})`)).join(', ')} }`;
    case 'enum': return `enum { ${t.names.join(', ')} }`;
    case 'flags': return `flags { ${t.names.join(', ')} }`;
  }
}

export function funcToWit(f: FuncType): string {
  const params = f.params.map((p) => `${p.name}: ${valTypeToWit(p.type)}`).join(', ');
  return `${f.async ? 'async ' : ''}func(${params})${f.result === null ? '' : ` -> ${valTypeToWit(f.result)}`}`;
}

function typeToWit(name: string, t: Type): string {
  if (t instanceof ResourceType) return `resource ${name};`;
  if (typeof t === 'string') return `type ${name} = ${t};`;
  switch (t.kind) {
    case 'func': return `type ${name} = ${funcToWit(t)};`;
    case 'instance': return `type ${name} = interface { ... };`;
    case 'component': return `type ${name} = world { ... };`;
    case 'record': case 'variant': case 'enum': case 'flags': {
      const body = valTypeToWit(t);
      return `${t.kind} ${name} ${body.slice(t.kind.length + 1)}`;
    }
    default: return `type ${name} = ${valTypeToWit(t)};`;
  }
}

function indent(s: string, by: string): string {
  return s.split('\n').map((l) => (l ? by + l : l)).join('\n');
}

function instanceBody(t: InstanceType): string {
  return [...t.exports].map(([n, e]) => externItem(n, e)).join('\n');
}

function externItem(name: string, e: ExternType): string {
  switch (e.kind) {
    case 'func': return `${name}: ${funcToWit(e.type)};`;
    case 'type': return typeToWit(name, e.type);
    case 'value': return `${name}: value ${valTypeToWit(e.type)};`;
    case 'module': return `${name}: core module;`;
    case 'component': return `${name}: component {\n${indent(worldBody(e.type), '  ')}\n};`;
    case 'instance': return `${name}: interface {\n${indent(instanceBody(e.type), '  ')}\n}`;
  }
}

function worldBody(t: ComponentType): string {
  const lines: string[] = [];
  for (const [n, e] of t.imports) lines.push(e.kind === 'type' ? externItem(n, e) : `import ${externItem(n, e)}`);
  for (const [n, e] of t.exports) lines.push(e.kind === 'type' ? externItem(n, e) : `export ${externItem(n, e)}`);
  return lines.join('\n');
}

/** A component type as a WIT-like `world`. */
export function printWit(t: ComponentType, worldName = 'root'): string {
  return `world ${worldName} {\n${indent(worldBody(t), '  ')}\n}\n`;
}
