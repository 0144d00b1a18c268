// The engine for Node tools beside Logto (the package's `bin`): the wasm shipped beside this file,
// without connector-kit or zod, which only a Logto host provides.
import { readFileSync } from 'node:fs';

import { createEngine } from './engine.js';
import * as glue from './wasm/tencent_sms.js';

export const engine = createEngine({
  glue,
  load: () => glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL('wasm/tencent_sms_bg.wasm', import.meta.url))) }),
});

/** Any Tencent SMS API action with the connector's config: Tencent's `Response`, or an SmsConnectorError. */
export const { callTencent } = engine;
