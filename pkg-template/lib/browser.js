// Browser entry: no Node built-ins and no connector-kit. Call `init()` once before the other
// exports; it fetches the wasm beside this module unless given its URL, a Response, the bytes or
// a compiled module (as lightningcss's web entry does), so importing alone has no side effects.
import { createEngine } from './engine.js';
import { metadata } from './metadata.js';
import * as glue from './wasm/tencent_sms.js';

let initialised;
let loaded = false;

const guide = 'Pass the .wasm to init(): see "Bundlers" in the package\'s LIBRARY.md.';

const isWasm = (bytes) => bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;

const isUrl = (value) =>
  typeof value === 'string' || value instanceof URL || (typeof Request === 'function' && value instanceof Request);

/**
 * The glue's own errors for a missing .wasm are a bare 404 or "expected magic word" (a dev server
 * answering its HTML page): these say which URL was tried and what to do.
 */
const fetched = async (url) => {
  const where = String(url?.url ?? url);
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`Could not fetch the connector's wasm from ${where}: ${error?.message ?? error}. ${guide}`);
  }
  return checked(response, where);
};

const checked = async (response, where = response.url || 'the Response given to init()') => {
  if (!response.ok) {
    throw new Error(`Could not load the connector's wasm: HTTP ${response.status} from ${where}. ${guide}`);
  }
  if (/^application\/wasm\b/i.test(response.headers.get('content-type') ?? '')) {
    return response; // compiled while it streams in
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!isWasm(bytes)) {
    const type = response.headers.get('content-type') || 'no content type';
    throw new Error(`Could not load the connector's wasm: ${where} answered ${type}, not WebAssembly. ${guide}`);
  }
  return bytes;
};

const source = async (input) => {
  const value = await input;
  if (value === undefined) {
    // Written out here so bundlers (webpack, Vite build, Parcel) see it and emit the .wasm.
    return fetched(new URL('./wasm/tencent_sms_bg.wasm', import.meta.url));
  }
  if (isUrl(value)) {
    return fetched(value);
  }
  if (typeof Response === 'function' && value instanceof Response) {
    return checked(value);
  }
  return value; // bytes, an ArrayBuffer or a WebAssembly.Module
};

/**
 * Loads the wasm from `input` (a URL or string URL, a Request, a Response or a promise of one,
 * bytes or an ArrayBuffer, a WebAssembly.Module) or, without one, from beside this module. Later
 * calls return the same promise; after a failure the next call tries again.
 */
export default function init(input) {
  initialised ??= source(input)
    .then((module_or_path) => glue.default({ module_or_path }))
    .then(
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
