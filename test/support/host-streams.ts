// The host stream and future tests, run on each core engine: by
// api-host-streams.test.ts (interpreter) and native-host-streams.test.ts
// (native engine; also under Deno). The component's exports are
// callback-lifted, so nothing here suspends core code.

import { expect } from 'chai';
import { cancelOnAbort, Component, Engine, Linker, Store, type TraceEvent } from '../../src/index.js';
import type { Func } from '../../src/api/func.js';
import { streamsText } from './stream-components.js';
import { relayText } from './async-components.js';

const tick = (ms = 1) => new Promise<void>((r) => setTimeout(r, ms));

async function setUp(engine: Engine, trace?: (e: TraceEvent) => void) {
  const component = await Component.fromText(engine, streamsText);
  const store = new Store(engine, { trace: trace ?? null });
  const instance = await new Linker(engine).instantiate(store, component);
  const fn = (name: string): Func => instance.getFunc(name)!;
  return { store, fn };
}

async function* counting(n: number, log: string[]): AsyncGenerator<number> {
  try {
    for (let i = 1; i <= n; i++) {
      log.push(`yield ${i}`);
      await tick();
      yield i;
    }
  } finally {
    log.push('finally');
  }
}

export function hostStreamTests(engine: Engine): void {
  it('a guest\'s stream<u32> reaches the host as a ReadableStream, read with for-await; --trace shows the host\'s reads', async () => {
    const events: TraceEvent[] = [];
    const { store, fn } = await setUp(engine, (e) => events.push(e));
    const [s] = await fn('produce').call(store, [10]);
    expect(s).to.be.instanceOf(ReadableStream);
    const got: unknown[] = [];
    for await (const v of s as unknown as AsyncIterable<number>) got.push(v);
    expect(got).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const hostReads = events.filter((e) => e.kind === 'async' && e.what === 'stream' && e.op === 'host-read');
    expect(hostReads.length).to.be.greaterThan(1);
    expect(hostReads[0]!.text).to.match(/host reads \d+ values? from the guest's stream/);
    expect(fn('saw-dropped').callSync(store, [])).to.deep.equal([0]);
  });

  it('reads a guest\'s stream only as the host asks (partial copies: the guest writes three at a time)', async () => {
    const { store, fn } = await setUp(engine);
    const [s] = await fn('produce').call(store, [7]);
    const reader = (s as unknown as ReadableStream<number>).getReader();
    const got: number[] = [];
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      got.push(r.value);
    }
    expect(got).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
  });

  it('a host that cancels its read drops its end: the guest\'s pending write sees DROPPED', async () => {
    const { store, fn } = await setUp(engine);
    const [s] = await fn('produce').call(store, [100]);
    const reader = (s as unknown as ReadableStream<number>).getReader();
    expect((await reader.read()).value).to.equal(0);
    expect((await reader.read()).value).to.equal(1);
    await reader.cancel('enough');
    await tick(5);
    expect(fn('saw-dropped').callSync(store, [])).to.deep.equal([1]);
  });

  it('cancelOnAbort: an aborted signal cancels the host\'s read in progress and drops its end', async () => {
    const { store, fn } = await setUp(engine);
    const [s] = await fn('hold').call(store, []);
    const ac = new AbortController();
    const reader = cancelOnAbort(s as unknown as ReadableStream<number>, ac.signal).getReader();
    const pending = reader.read().then(() => 'read', (e: unknown) => e);
    await tick(5);
    ac.abort('stop waiting');
    expect(await pending).to.equal('stop waiting');
  });

  it('the host passes an array, an async iterable or a ReadableStream as a stream<u32> argument', async () => {
    const { store, fn } = await setUp(engine);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(await fn('sum').call(store, [ten])).to.deep.equal([55]);
    const log: string[] = [];
    expect(await fn('sum').call(store, [counting(10, log) as never])).to.deep.equal([55]);
    // Values are taken only as the guest reads: one at a time from an async source.
    expect(log.filter((l) => l.startsWith('yield')).length).to.equal(10);
    const rs = new ReadableStream<number>({ start(c) { for (const v of ten) c.enqueue(v); c.close(); } });
    expect(await fn('sum').call(store, [rs as never])).to.deep.equal([55]);
    // A ReadableStream the host fills later: the guest's reads wait for it.
    let ctl!: ReadableStreamDefaultController<number>;
    const later = new ReadableStream<number>({ start(c) { ctl = c; } });
    const sum = fn('sum').call(store, [later as never]);
    await tick(5);
    ctl.enqueue(20);
    await tick(5);
    ctl.enqueue(22);
    ctl.close();
    expect(await sum).to.deep.equal([42]);
  });

  it('a guest that drops its end early cancels the host\'s source', async () => {
    const { store, fn } = await setUp(engine);
    const log: string[] = [];
    expect(await fn('first').call(store, [counting(1000, log) as never])).to.deep.equal([1]);
    await tick(5);
    expect(log).to.deep.equal(['yield 1', 'finally']);
  });

  it('a guest\'s stream passed back unread goes from guest to guest', async () => {
    const { store, fn } = await setUp(engine);
    // Another instance of the component reads it (each instance serves one task at a time).
    const other = await new Linker(engine).instantiate(store, await Component.fromText(engine, streamsText));
    const [s] = await fn('produce').call(store, [10]);
    expect(await other.getFunc('sum')!.call(store, [s!])).to.deep.equal([45]);
  });

  it('streams without a payload: one null per element both ways', async () => {
    const { store, fn } = await setUp(engine);
    expect(await fn('count').call(store, [[null, null, null, null, null] as never])).to.deep.equal([5]);
    const [s] = await fn('ticks').call(store, [4]);
    const got: unknown[] = [];
    for await (const v of s as unknown as AsyncIterable<unknown>) got.push(v);
    expect(got).to.deep.equal([null, null, null, null]);
  });

  it('streams of strings both ways: the guest\'s strings reach the host as JS strings, the host\'s are placed by the guest\'s realloc', async () => {
    const { store, fn } = await setUp(engine);
    const [s] = await fn('words').call(store, []);
    const reader = (s as unknown as ReadableStream<string>).getReader();
    const got: string[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) got.push(r.value);
    expect(got).to.deep.equal(['hello', 'world', '!']);
    expect(await fn('lens').call(store, [['ab', 'cde', 'é', '']])).to.deep.equal([7]);
  });

  it('futures: a Promise in, a Promise out', async () => {
    const { store, fn } = await setUp(engine);
    const answer = fn('await-future').call(store, [tick(5).then(() => 42) as never]);
    expect(await answer).to.deep.equal([42]);
    const [f] = await fn('make-future').call(store, [7]);
    expect(f).to.be.instanceOf(Promise);
    expect(await f).to.equal(7);
  });

  it('mixes call, callConcurrent and callSync on one store while calls are in progress', async () => {
    const relay = await Component.fromText(engine, relayText);
    const answers = new Map<number, (v: number) => void>();
    const linker = new Linker(engine);
    linker.root().funcWrap('slow', (x: number) => new Promise<number>((resolve) => answers.set(x, resolve)));
    const store = new Store(engine);
    const run = (await linker.instantiate(store, relay)).getFunc('run')!;
    const streams = (await new Linker(engine).instantiate(store, await Component.fromText(engine, streamsText))).getFunc('saw-dropped')!;
    const a = run.callConcurrent(store, [1]);
    const b = run.call(store, [2]);
    await tick(5);
    expect([...answers.keys()]).to.deep.equal([1, 2]);
    // The loop waits between its steps: a synchronous call now is refused, clearly.
    expect(() => streams.callSync(store, [])).to.throw(/cannot be called with callSync while calls made with call or callConcurrent are in progress/);
    // An asynchronous one joins the calls in progress.
    expect(await streams.call(store, [])).to.deep.equal([0]);
    answers.get(2)!(20);
    answers.get(1)!(10);
    expect(await b).to.deep.equal([20]);
    expect(await a).to.deep.equal([10]);
    // With nothing in progress, callSync runs again.
    expect(streams.callSync(store, [])).to.deep.equal([0]);
  });
}
