// Streams and futures between the host and a guest on the interpreter
// (the same tests on the native engine: native-host-streams.test.ts).

import { Engine } from '../src/index.js';
import { hostStreamTests } from './support/host-streams.js';

describe('api: host streams and futures (interp)', function () {
  this.timeout(30_000);
  hostStreamTests(new Engine({ coreEngine: 'interp' }));
});
