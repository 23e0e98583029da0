import { expect } from 'chai';
import { readSExprs, WastSyntaxError, isList, type SList } from '../src/wast/sexpr.js';
import { parseScript } from '../src/wast/script.js';

describe('.wast reader', () => {
  it('reads atoms, strings and nested lists with positions', () => {
    const [e] = readSExprs('\n  (module $m (func (export "f")))');
    expect(isList(e, 'module')).to.equal(true);
    expect(e!.line).to.equal(2);
    expect(e!.col).to.equal(3);
    const items = (e as SList).items;
    expect(items[1]).to.include({ kind: 'atom', text: '$m' });
  });

  it('decodes string escapes to bytes', () => {
    const [e] = readSExprs('"a\\n\\t\\\\\\"\\00\\ff\\u{1F600}é"');
    expect(e!.kind).to.equal('string');
    const bytes = Array.from((e as { bytes: Uint8Array }).bytes);
    expect(bytes).to.deep.equal([0x61, 0x0a, 0x09, 0x5c, 0x22, 0x00, 0xff, 0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9]);
  });

  it('skips line and nested block comments', () => {
    const es = readSExprs(';; hello\n(; outer (; inner ;) still ;) (a) ;; x\n(b)');
    expect(es.map((x) => (x as SList).items[0])).to.have.length(2);
  });

  for (const [src, what, line] of [
    ['(module\n  (func', 'never closed', 1],
    ['(a))', 'no matching', 1],
    ['(a "abc)', 'unterminated string', 1],
    ['\n\n(a "\\q")', 'malformed escape', 3],
    ['(; never closed', 'unclosed block comment', 1],
  ] as const) {
    it(`reports ${what} with its line`, () => {
      try {
        readSExprs(src);
        expect.fail('no error');
      } catch (e) {
        expect(e).to.be.instanceOf(WastSyntaxError);
        expect((e as WastSyntaxError).message).to.contain(what);
        expect((e as WastSyntaxError).line).to.equal(line);
      }
    });
  }

  it('survives 100 000 nested parentheses without recursion', () => {
    const src = '('.repeat(100_000) + ')'.repeat(100_000);
    expect(readSExprs(src)).to.have.length(1);
    expect(() => readSExprs('('.repeat(100_000))).to.throw(WastSyntaxError);
  });
});

describe('script model', () => {
  const parse = (src: string) => parseScript(src, readSExprs(src));

  it('parses module forms', () => {
    const ds = parse('(module $a (func)) (module binary "\\00asm" "\\01\\00\\00\\00") (module quote "(func)") (module definition $d (memory 1)) (module instance $i $d)');
    expect(ds.map((d) => d.kind)).to.deep.equal(['module', 'module', 'module', 'module', 'instance']);
    const [text, bin, quote, def, inst] = ds as any[];
    expect(text.def.source).to.deep.equal({ form: 'text', text: '(module $a (func))' });
    expect(Array.from(bin.def.source.bytes)).to.deep.equal([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(quote.def.source).to.deep.equal({ form: 'quote', text: '(module (func))' });
    expect(def.def.definitionOnly).to.equal(true);
    expect(def.def.source.text).to.equal('(module $d (memory 1))');
    expect(inst).to.include({ id: '$i', of: '$d' });
  });

  it('parses actions and assertions with their lines', () => {
    const ds = parse('(assert_return (invoke $m "f" (i32.const 1)) (i32.const 2))\n(assert_trap (invoke "g") "unreachable")\n(register "x" $m)\n(assert_invalid (module (func)) "type mismatch")');
    expect(ds.map((d) => [d.kind, d.line])).to.deep.equal([['assert_return', 1], ['assert_trap', 2], ['register', 3], ['assert_invalid', 4]]);
    const r = ds[0] as any;
    expect(r.action).to.include({ kind: 'invoke', instance: '$m', name: 'f' });
    expect(r.action.args).to.have.length(1);
  });

  it('reports a malformed directive with its line', () => {
    expect(() => parse('\n(assert_return "x")')).to.throw(WastSyntaxError, /2:1/);
  });

  it('keeps directives of other script languages as unsupported, with a reason', () => {
    const [d] = parse('(assert_suspension (invoke "f") "x")');
    expect(d).to.include({ kind: 'unsupported', why: 'directive "assert_suspension" is not supported' });
  });

  it('keeps a misspelled directive as unknown (a failure, not a skip)', () => {
    const [d] = parse('(asert_return (invoke "f"))');
    expect(d).to.include({ kind: 'unknown', head: 'asert_return', line: 1 });
  });
});
