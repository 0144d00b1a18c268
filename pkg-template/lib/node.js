// The engine for Node tools beside Logto (the package's `bin`): the wasm shipped beside this file,
// without connector-kit or zod, which only a Logto host provides.
import { readFileSync } from 'node:fs';

import { createEngine } from './engine.js';
import { recordAsLogtoMock } from './mock-sms.js';
import * as glue from './wasm/tencent_sms.js';

export const engine = createEngine({
  glue,
  load: () => glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL('wasm/tencent_sms_bg.wasm', import.meta.url))) }),
  log: (line) => console.log(line),
  // testNumbers and dryRun: the mock file's path is the host kit's, found where Logto is installed.
  record: recordAsLogtoMock(() =>
    import('@logto/connector-kit').catch(() => {
      throw new Error('testNumbers and dryRun write the code to Logto\'s mock SMS file, whose path comes from @logto/connector-kit: run this where Logto is installed.');
    }),
  ),
});

/** Any Tencent SMS API action with the connector's config: Tencent's `Response`, or an SmsConnectorError. */
export const { callTencent } = engine;
