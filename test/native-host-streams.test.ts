// Streams and futures between the host and a guest on the native engine:
// callback-lifted exports, which need no suspending of core code, so they
// run with and without JS Promise Integration (test:native:deno runs them
// under Deno).

import { Engine } from '../src/index.js';
import { hostStreamTests } from './support/host-streams.js';

describe('api: host streams and futures (native)', function () {
  this.timeout(30_000);
  hostStreamTests(new Engine({ coreEngine: 'native' }));
});
