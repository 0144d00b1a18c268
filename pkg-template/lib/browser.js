// Browser entry: no Node built-ins and no connector-kit. Call `init()` once before the other
// exports; it fetches the wasm beside this module unless given the bytes, a Response or a
// compiled module (as lightningcss's web entry does), so importing alone has no side effects.
import { createEngine } from './engine.js';
import { metadata } from './metadata.js';
import * as glue from './wasm/tencent_sms.js';

let initialised;
let loaded = false;

/** Loads the wasm; later calls return the same promise. */
export default function init(input) {
  initialised ??= glue.default({ module_or_path: input ?? new URL('wasm/tencent_sms_bg.wasm', import.meta.url) }).then(
    () => {
      loaded = true;
    },
    (error) => {
      initialised = undefined;
      throw error;
    },
  );
  return initialised;
}

const engine = createEngine({
  glue,
  load: () => {
    if (!loaded) {
      throw new Error('Call and await init() from this module before using it.');
    }
  },
});

/** `{ valid, errors: [{ path, code, message }], warnings }` for a connector config. */
export const validateConfig = (config) => engine.validateConfig(config);

/** Signs any Tencent Cloud API 3.0 request with TC3-HMAC-SHA256; throws an Error with `code` and `data`. */
export const signRequest = (input) => engine.signRequest(input);

export { metadata };
