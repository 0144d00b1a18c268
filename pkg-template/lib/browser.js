// Browser entry: no Node built-ins and no connector-kit. The wasm is fetched relative to this
// module, so it works from a plain <script type="module"> without a bundler.
import init, {
  signRequest as wasmSignRequest,
  validateConfig as wasmValidateConfig,
} from './wasm/tencent_sms.js';

import { metadata } from './metadata.js';

await init({ module_or_path: new URL('wasm/tencent_sms_bg.wasm', import.meta.url) });

/** `{ valid, errors: [{ path, code, message }], warnings }` for a connector config. */
export const validateConfig = (config) => wasmValidateConfig(config);

/** Signs any Tencent Cloud API 3.0 request with TC3-HMAC-SHA256; throws an Error with `code` and `data`. */
export const signRequest = (input) => wasmSignRequest(input);

export { metadata };
