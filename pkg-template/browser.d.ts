import type {
  ConfigValidation,
  ConnectorMetadata,
  SignRequestInput,
  SignedRequest,
} from './index.js';

export type * from './index.js';

export declare const metadata: ConnectorMetadata;
export declare function validateConfig(config: unknown): ConfigValidation;
/** Throws an Error with `code` ("invalid_request_parameters") and `data` on bad input. */
export declare function signRequest(input: SignRequestInput): SignedRequest;

// For browsers and web workers: it loads the .wasm with fetch relative to its own URL, which
// Node 20 cannot do for file: URLs; in Node import the package's default entry instead.
