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
