import { ConnectorError, ConnectorErrorCodes, ConnectorType } from '@logto/connector-kit';
import { z } from 'zod';

import { callAsync, callSync } from './engine.js';
import { metadata } from './metadata.js';

const knownCodes = new Set(Object.values(ConnectorErrorCodes));

// `usage_limit_exceeded` exists only in connector-kit ≥ 5.1.1; older hosts get the nearest code.
const hostCode = (code) => {
  if (knownCodes.has(code)) {
    return code;
  }
  return code === 'usage_limit_exceeded'
    ? ConnectorErrorCodes.RateLimitExceeded
    : ConnectorErrorCodes.General;
};

/** Every failure reaches Logto as the host kit's own ConnectorError, with plain JSON data. */
const toConnectorError = (error) => {
  if (error instanceof ConnectorError) {
    return error;
  }
  const message = String(error?.message ?? error);
  const data = error?.data ?? { errorDescription: message, message };
  return new ConnectorError(hostCode(error?.code), data);
};

/** `{ valid, errors: [{ path, code, message }], warnings }` for a connector config. */
export const validateConfig = (config) => callSync('validateConfig', config);

/** Signs any Tencent Cloud API 3.0 request with TC3-HMAC-SHA256. */
export const signRequest = (input) => {
  try {
    return callSync('signRequest', input);
  } catch (error) {
    throw toConnectorError(error);
  }
};

/** Sends one verification code; resolves to `{ requestId, serialNo, fee, isoCode, phoneNumber }`. */
export const sendMessage = async (data, config) => {
  try {
    return await callAsync('sendMessage', data, config);
  } catch (error) {
    throw toConnectorError(error);
  }
};

/**
 * A zod schema of the host's own zod whose checks are the wasm validator's errors, so Logto's
 * console shows them per field. A valid config is returned unchanged.
 */
export const configGuard = z.unknown().superRefine((config, context) => {
  let result;
  try {
    result = validateConfig(config);
  } catch (error) {
    context.addIssue({ code: z.ZodIssueCode.custom, path: [], message: String(error?.message ?? error) });
    return;
  }
  for (const issue of result.errors) {
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: issue.path,
      message: issue.message,
      params: { code: issue.code },
    });
  }
});

/** Logto's connector factory: cheap and side-effect free, called on every request. */
const createConnector = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard,
  sendMessage: async (data, config) => {
    // The admin Test button passes the unsaved config; only real sends read the saved one.
    const effectiveConfig = config ?? (await getConfig(metadata.id));
    return sendMessage(data, effectiveConfig);
  },
});

export { metadata };
export default createConnector;
