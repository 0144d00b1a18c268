import { readFileSync } from 'node:fs';

import * as connectorKit from '@logto/connector-kit';
import { ConnectorError, ConnectorErrorCodes, ConnectorType } from '@logto/connector-kit';
import { z } from 'zod';

import { createEngine } from './engine.js';
import { metadata } from './metadata.js';
import { recordAsLogtoMock } from './mock-sms.js';
import { createRedisCounter } from './redis.js';
import { checkTemplates } from './template-checks.js';
import * as glue from './wasm/tencent_sms.js';

/** sendLimits counters in the host's Redis when REDIS_URL is set: made at the first limited send. */
let sharedCounter;
const countShared = (counters) => {
  sharedCounter ??= createRedisCounter() ?? (() => undefined);
  return sharedCounter(counters);
};

// Compiled on first use from the bytes shipped beside this file (no fetch, no bundler), so
// Logto's loader, which imports every connector at start-up, pays nothing until a call.
const engine = createEngine({
  glue,
  load: () => glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL('wasm/tencent_sms_bg.wasm', import.meta.url))) }),
  counter: countShared,
  // One JSON line per send (sendLog), beside Logto's own logs: `docker logs` shows it.
  log: (line) => console.log(line),
  record: recordAsLogtoMock(() => connectorKit),
});

const knownCodes = new Set(Object.values(ConnectorErrorCodes));

// `usage_limit_exceeded` (an SMS quota or balance used up) came with connector-kit 5.1; an older
// host gets the nearest code it knows. Every other code the core raises is in kit 4.7.
const hostCode = (code) => {
  if (knownCodes.has(code)) {
    return code;
  }
  return code === 'usage_limit_exceeded' ? ConnectorErrorCodes.RateLimitExceeded : ConnectorErrorCodes.General;
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
export const validateConfig = (config) => {
  try {
    return engine.validateConfig(config);
  } catch (error) {
    throw toConnectorError(error);
  }
};

/** Signs any Tencent Cloud API 3.0 request with TC3-HMAC-SHA256. */
export const signRequest = (input) => {
  try {
    return engine.signRequest(input);
  } catch (error) {
    throw toConnectorError(error);
  }
};

/** Sends one verification code; resolves to `{ requestId, serialNo, fee, isoCode, phoneNumber, route }`. */
export const sendMessage = async (data, config) => {
  try {
    return await engine.sendMessage(data, config);
  } catch (error) {
    throw toConnectorError(error);
  }
};

/** Any Tencent SMS API action with the connector's config; resolves to Tencent's `Response`. */
export const callTencent = async (config, action, params, options) => {
  try {
    return await engine.callTencent(config, action, params, options);
  } catch (error) {
    throw toConnectorError(error);
  }
};

/** One validator issue as a zod issue of the host's zod; `custom` keeps our message as it is. */
const zodIssue = ({ path, code, message }) => ({ code: z.ZodIssueCode.custom, path, message, params: { code } });

/**
 * An invalid config as Logto formats it best: `invalid_config` carrying a ZodError of the host's
 * own zod, which Logto prints field by field ("Error in key path ...").
 */
const invalidConfig = (issues) => new ConnectorError(ConnectorErrorCodes.InvalidConfig, new z.ZodError(issues.map(zodIssue)));

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
    context.addIssue(zodIssue(issue));
  }
});

/** An `invalid_config` from the core, listing its issues, as the ZodError Logto formats. */
const withFieldDetails = (error) => {
  const issues = error?.data?.issues;
  if (error?.code !== ConnectorErrorCodes.InvalidConfig || !Array.isArray(issues) || issues.length === 0) {
    return error;
  }
  return invalidConfig(issues);
};

/**
 * For the console's Test button. Logto's console shows a connector's own text only for `general`
 * errors and a fixed sentence for every other code, so a refusal is rethrown as `general` with
 * the one line that says what Tencent answered and what to do. On purpose only here: real sends
 * keep the mapped codes, which give end users Logto's translated sentence and the right status.
 */
const forConsoleTest = (error) => {
  // A `general` error already shows its own line, unless that is the end user's sentence and the
  // operator's differs (a countryPolicy refusal: Test names the entry that blocked the number).
  const ownLine = error.code === ConnectorErrorCodes.General && error.data?.errorDescription === error.data?.message;
  if (ownLine || error.data instanceof z.ZodError) {
    return error;
  }
  const line = String(error.data?.message ?? error.message);
  return new ConnectorError(ConnectorErrorCodes.General, { ...error.data, errorDescription: line });
};

/** Real sends whose ip rules were skipped say so in Logto's log, at most once a minute. */
let notedAt = -Infinity;
const logSendLimitsNote = (note) => {
  const now = Date.now();
  if (now - notedAt >= 60_000) {
    notedAt = now;
    console.warn(`[connector-tencent-sms-wasm] ${note}`);
  }
};

/**
 * For the console's Test when the fallback sent the SMS: Logto ignores the return value and shows
 * a connector's own text only for `general` errors, so the operator learns it this way, with the
 * primary's reason (and sendLimits' note, when ip rules were skipped). The SMS was sent; the line
 * says so first.
 */
const sentThroughFallback = (result, note) => {
  const reasonLine = String(result.primaryError?.data?.message ?? 'The primary route did not send.');
  const line = `The test SMS was sent through the fallback route, not the primary: fix the primary to use it again. ${reasonLine}${note ? ` ${note}` : ''}`;
  return new ConnectorError(ConnectorErrorCodes.General, {
    errorDescription: line,
    message: line,
    route: 'fallback',
    requestId: result.requestId || undefined,
    status: result.status,
    primaryError: result.primaryError,
  });
};

/**
 * For the console's Test when testNumbers or dryRun kept the SMS from Tencent: a passing Test
 * would read as "sent", so it fails with the one line that says what happened instead.
 */
const notSentInTest = (result) => {
  const why = result.reason === 'dryRun' ? 'dryRun is on, so no number reaches Tencent' : 'the number is in testNumbers';
  const line = `The test SMS was not sent: ${why}. Its code was written to ${connectorKit.mockConnectorFilePaths?.Sms}, as Logto's mock SMS connector does.`;
  return new ConnectorError(ConnectorErrorCodes.General, { errorDescription: line, message: line, dryRun: true, reason: result.reason });
};

/** Logto's connector factory: cheap and side-effect free, called on every request. */
const createConnector = async ({ getConfig }) => ({
  metadata,
  type: ConnectorType.Sms,
  configGuard,
  sendMessage: async (data, config) => {
    // The admin Test button passes the unsaved config; only real sends read the saved one.
    const isConsoleTest = config !== undefined;
    try {
      if (isConsoleTest) {
        // Logto has not validated the unsaved form: hold it to the rules of saving (a missing
        // Generic template included), so Test names each field as Save would.
        const { valid, errors } = validateConfig(config);
        if (!valid) {
          const error = invalidConfig(errors);
          engine.logUnsent(error, config);
          throw error;
        }
      }
      let saved;
      if (!isConsoleTest) {
        try {
          saved = await getConfig(metadata.id);
        } catch (error) {
          engine.logUnsent(error);
          throw error;
        }
      }
      const result = await sendMessage(data, isConsoleTest ? config : saved);
      if (isConsoleTest && result?.dryRun) {
        throw notSentInTest(result);
      }
      if (!isConsoleTest) {
        if (result?.sendLimitsNote) {
          logSendLimitsNote(result.sendLimitsNote);
        }
        return result;
      }
      // The Test sent: now Tencent's records of every template and the signature.
      // Never a reason to hide that the SMS went out: an unexpected failure is one more note.
      const { problems, notes } = await checkTemplates(config, (action, params) => engine.callTencent(config, action, params)).catch((error) => ({
        problems: [],
        notes: [`Templates not checked: ${String(error?.message ?? error).slice(0, 120)}.`],
      }));
      const fix = problems.length > 0 ? `Fix before users meet it: ${problems.join(' ')}` : '';
      const note = [result.sendLimitsNote, fix, ...notes].filter(Boolean).join(' ');
      if (result.route === 'fallback') {
        throw sentThroughFallback(result, note);
      }
      if (result.sendLimitsNote || fix) {
        // Logto ignores a result, and its console shows a connector's text only for a failed
        // Test: a Test that sent but skipped ip rules, or whose templates Tencent would refuse,
        // says so, so the operator learns it before real users do.
        const line = `The test SMS was sent (RequestId ${result.requestId}). ${note}`;
        throw new ConnectorError(ConnectorErrorCodes.General, { errorDescription: line, message: line, requestId: result.requestId, problems });
      }
      if (notes.length > 0) {
        // Nothing to fix (e.g. an individual account, which Tencent does not let read its
        // templates): the Test passes, and the line goes to Logto's log and the result.
        console.warn(`[connector-tencent-sms-wasm] The test SMS was sent (RequestId ${result.requestId}). ${notes.join(' ')}`);
        return { ...result, templateNotes: notes };
      }
      return result;
    } catch (error) {
      const detailed = withFieldDetails(error);
      throw isConsoleTest ? forConsoleTest(detailed) : detailed;
    }
  },
});

export { metadata };
export default createConnector;
