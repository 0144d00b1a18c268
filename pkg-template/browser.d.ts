import type {
  ConfigValidation,
  ConnectorMetadata,
  SignRequestInput,
  SignedRequest,
} from './index.js';

export type * from './index.js';

/**
 * Where `init` loads the wasm from: its URL (as a `URL`, a string or a `Request`), a `Response`,
 * the bytes, or a compiled module. The package exports the file as
 * `connector-tencent-sms-wasm/tencent_sms_bg.wasm` for bundlers that need to be told about it.
 */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the wasm (by default the .wasm beside this module, fetched); call and await it once
 * before the other exports (they throw before). Later calls return the same promise; after a
 * failure the next call tries again. In Node, import the package's default entry instead.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

export declare const metadata: ConnectorMetadata;
export declare function validateConfig(config: unknown): ConfigValidation;
/** Throws an Error with `code` ("invalid_request_parameters") and `data` on bad input. */
export declare function signRequest(input: SignRequestInput): SignedRequest;
