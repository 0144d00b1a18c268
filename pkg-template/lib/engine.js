// The boundary between JavaScript and the wasm core, shared by the Node and browser entries.
// Values cross as JSON text, strings and bytes, and come back in the one encoding of wire.js; the
// wasm calls no JavaScript, so no exception can unwind through it. Every wasm call happens here
// inside a try/catch: a trap replaces the instance at once (synchronously, from the compiled
// module) and fails only the calls that were using it. `fetch` is called here, between the send
// steps the core decides.

import { decode, encodeSignFields } from './wire.js';

/** An error the connector made, with Logto's error `code` and plain JSON `data`. */
export class SmsConnectorError extends Error {
  constructor(code, data) {
    super(data.message);
    this.name = 'SmsConnectorError';
    this.code = code;
    this.data = data;
  }
}

const failure = (code, data) => new SmsConnectorError(code, data);
const fromCore = ({ code, data }) => failure(code, data);
const describe = (message) => ({ errorDescription: message, message });

// A lone surrogate is valid in a JS string but not in JSON text that serde_json reads.
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (text) =>
  String.prototype.isWellFormed
    ? text.isWellFormed() ? text : text.toWellFormed()
    : text.replace(loneSurrogates, '\uFFFD');

/** Over `maxBytes`: refused before anything is copied into wasm memory, which never shrinks. */
class TooLarge extends RangeError {}

/**
 * The primitive inside a boxed String (`new String(…)`), else undefined. Checked by tag first:
 * a thrown and caught TypeError per object walked cost about 7 µs each on every send.
 */
const unboxedString = (item) => {
  if (Object.prototype.toString.call(item) !== '[object String]') {
    return undefined;
  }
  try {
    return String.prototype.valueOf.call(item);
  } catch {
    return undefined;
  }
};

/** Binary data is never a config or message value, and its JSON form walks every element. */
const isBinary = (item) =>
  ArrayBuffer.isView(item) ||
  item instanceof ArrayBuffer ||
  (typeof SharedArrayBuffer === 'function' && item instanceof SharedArrayBuffer);

/** Whether `text` is at most `maxBytes` in UTF-8; measured only when it could be more. */
const fitsUtf8 = (text, maxBytes) =>
  text.length <= maxBytes && (text.length * 3 <= maxBytes || new TextEncoder().encode(text).length <= maxBytes);

/**
 * JSON text of `value` as JSON.stringify sees it (toJSON, no functions, cycles refused), with
 * values below `maxDepth` cut to null, refused cheaply once over `maxBytes` (strings, boxed or
 * not, and claimed array lengths are counted before they are walked; escapes are counted by the
 * final measure), and binary data refused outright.
 */
const jsonText = (value, maxBytes, maxDepth) => {
  let left = maxBytes;
  const tooLarge = () => new TooLarge(`it is larger than ${maxBytes >> 20} MiB`);
  // The objects from the root down to the value being visited: JSON.stringify walks depth first
  // and calls the replacer with the holder as `this`, so the holder is always on this path.
  const path = [];
  const text = JSON.stringify(value, function replace(key, item) {
    while (path.length > 0 && path[path.length - 1] !== this) {
      path.pop();
    }
    left -= key.length + 8;
    const boxed = item !== null && typeof item === 'object' ? unboxedString(item) : undefined;
    if (boxed !== undefined) {
      item = boxed;
    }
    if (typeof item === 'string') {
      left -= item.length;
      if (left < 0) {
        throw tooLarge();
      }
      item = wellFormed(item);
    } else if (typeof item === 'bigint') {
      throw new TypeError(`"${key}" is a BigInt; use a number or a string`);
    } else if (item !== null && typeof item === 'object') {
      if (isBinary(item)) {
        throw new TypeError(`${key ? `"${key}"` : 'it'} is binary data (a typed array, ArrayBuffer or DataView), not JSON`);
      }
      if (path.length > maxDepth) {
        return null;
      }
      path.push(item);
      // Before JSON.stringify walks it: a sparse array may claim 2^32 - 1 items.
      if (Array.isArray(item)) {
        left -= item.length;
      }
    }
    if (left < 0) {
      throw tooLarge();
    }
    return item;
  });
  if (text !== undefined && !fitsUtf8(text, maxBytes)) {
    throw tooLarge();
  }
  return text ?? 'null';
};

const reason = (error) => {
  try {
    return String(error?.message ?? error).slice(0, 200);
  } catch {
    return 'unreadable value';
  }
};

const isTrap = (error) =>
  error instanceof WebAssembly.RuntimeError ||
  (error instanceof RangeError && /call stack/i.test(error.message));

const trapMessages = {
  none: 'The SMS connector hit an internal error and was restarted: try again.',
  not_sent: 'The SMS connector hit an internal error and was restarted; the SMS was not sent: try again.',
  unknown: 'The SMS connector hit an internal error and was restarted while sending; the SMS may or may not have been sent: check the SMS console before sending again.',
};

/** `delivery` is `not_sent` or `unknown` for a send, `none` for any other call. */
const trapped = (error, delivery) => {
  const data = { ...describe(trapMessages[delivery]), trap: reason(error) };
  return failure('general', delivery === 'none' ? data : { ...data, delivery });
};

/** `promise`, or a rejection as soon as `signal` aborts, whichever comes first. */
const untilAborted = (promise, signal) =>
  new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) {
      onAbort();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    promise.then(
      (value) => {
        done();
        resolve(value);
      },
      (error) => {
        done();
        reject(error);
      },
    );
  });

/**
 * At most `cap` bytes of the decoded body. Always streamed and counted as read: fetch decodes
 * gzip and br itself, so Content-Length is only the compressed size. (Asking for identity
 * encoding instead is impossible in browsers, where Accept-Encoding is a forbidden header, and
 * a hostile server would ignore it.) At the cap the stream is cancelled, so decoding stops;
 * every read is raced against the send's signal, so a timeout mid-decode ends the send at once.
 */
const readCapped = async (response, cap, signal) => {
  if (!response.body) {
    return { bytes: noBytes, truncated: false };
  }
  const reader = response.body.getReader();
  const stop = () => {
    reader.cancel().catch(() => {});
  };
  const chunks = [];
  let length = 0;
  try {
    for (;;) {
      const { done, value } = await untilAborted(reader.read(), signal);
      if (done) {
        return { bytes: concat(chunks, length), truncated: false };
      }
      if (length + value.length > cap) {
        stop();
        chunks.push(value.subarray(0, cap - length));
        return { bytes: concat(chunks, cap), truncated: true };
      }
      chunks.push(value);
      length += value.length;
    }
  } catch (error) {
    stop();
    throw error;
  }
};

const concat = (chunks, length) => {
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
};

const asString = (value) => (typeof value === 'string' ? value : undefined);

/**
 * The stage a failed fetch reached, as the core's `sendFailed` takes it: stage, detail and, for
 * a connection failure, the call that failed (`connect`, `read`, …) where Node names it (for
 * happy eyeballs' AggregateError, on its first error).
 */
const fetchFailure = (error, signal) => {
  if (signal.aborted) {
    return ['timeout', undefined, undefined];
  }
  const cause = error?.cause;
  // undici checks the port before connecting and reports it only in the cause's message.
  if (cause?.message === 'bad port') {
    return ['not_started', 'bad port', undefined];
  }
  return ['network', asString(cause?.code), asString(cause?.syscall ?? cause?.errors?.[0]?.syscall)];
};

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

const optionalText = (input, key) => {
  const value = input[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw failure('invalid_request_parameters', describe(`signRequest: ${key} must be a string when given.`));
  }
  return value;
};

/**
 * The counts of a send's `sendLimits` counters from `counter` (the host's shared store, see
 * redis.js), one decimal per line in their order, or undefined for the core to count in this
 * process. Never rejects; a counter must settle within a moment (redis.js: 100 ms).
 */
const countedIn = async (counter, counters) => {
  if (!counter || counters.length === 0) {
    return undefined;
  }
  try {
    const counts = await counter(counters);
    const usable = Array.isArray(counts) && counts.length === counters.length && counts.every((count) => Number.isSafeInteger(count) && count >= 0);
    return usable ? counts.join('\n') : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The core's exports over one wasm-bindgen glue module. `load()` initialises the glue once;
 * it runs on first use so importing stays cheap. `counter`, when given, counts `sendLimits`
 * keys in a store shared by every instance (the Node entry's is the host's Redis). `log`, when
 * given, gets each send's event as one line of JSON text (the Node entry writes it to stdout).
 * `record`, when given, keeps the message of a send testNumbers or dryRun keeps from Tencent.
 */
export const createEngine = ({ glue, load, counter, log, record }) => {
  let limits;
  /** Bumped by every trap: sends begun on an older instance are over. */
  let generation = 0;

  const ready = () => {
    if (limits === undefined) {
      load();
      ({ limits } = decode(glue.limits()));
    }
  };

  /** One wasm call; a trap replaces the instance and is thrown as `general` with `delivery`. */
  const call = (delivery, name, ...args) => {
    ready();
    try {
      return glue[name](...args);
    } catch (error) {
      if (!isTrap(error)) {
        throw error;
      }
      generation += 1;
      glue.__wbg_reset_state();
      throw trapped(error, delivery);
    }
  };

  /** `{ text }`, or `{ code, problem }`: `too_large` over the input budget, else `not_json`. */
  const readInput = (value, what) => {
    ready();
    try {
      return { text: jsonText(value, limits.maxInputBytes, limits.maxDepth) };
    } catch (error) {
      if (error instanceof TooLarge) {
        const size = `${limits.maxInputBytes >> 20} MiB`;
        return { code: 'too_large', problem: `The ${what} is larger than ${size}, the most the connector reads: give a plain JSON object of a few kilobytes.` };
      }
      return { code: 'not_json', problem: `The ${what} cannot be read as JSON (${reason(error)}): give a plain JSON object.` };
    }
  };

  /** `{ valid, errors: [{ path, code, message }], warnings }` for a connector config. */
  const validateConfig = (config) => {
    const { text, code, problem } = readInput(config, 'config');
    if (problem) {
      return { valid: false, errors: [{ path: [], code, message: problem }], warnings: [] };
    }
    return decode(call('none', 'validateConfig', text)).validation;
  };

  /** Signs any Tencent Cloud API 3.0 request with TC3-HMAC-SHA256. */
  const signRequest = (input) => {
    ready();
    const refuse = (message) => failure('invalid_request_parameters', describe(`signRequest: ${message}.`));
    if (input === null || typeof input !== 'object') {
      throw refuse('needs an object of inputs');
    }
    /** Every text input but the payload is a short name or key; refused before it crosses. */
    const fitting = (value, key) => {
      if (value !== undefined && !fitsUtf8(value, limits.maxInputBytes)) {
        throw refuse(`${key} is larger than ${limits.maxInputBytes >> 20} MiB`);
      }
      return value;
    };
    let fields;
    let payload;
    try {
      const text = (key) => {
        const value = input[key];
        if (typeof value !== 'string') {
          throw refuse(`${key} must be a string`);
        }
        return fitting(value, key);
      };
      const { timestamp, signedHeaders } = input;
      // Whole seconds cross as decimal digits: the wasm parses no floats.
      if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
        throw refuse('timestamp must be Unix time in whole seconds');
      }
      let names;
      if (signedHeaders !== undefined && signedHeaders !== null) {
        if (!Array.isArray(signedHeaders) || signedHeaders.length > limits.maxSignedHeaders) {
          throw refuse(`signedHeaders must be an array of at most ${limits.maxSignedHeaders} header names`);
        }
        const list = Array.from(signedHeaders);
        if (!list.every((name) => typeof name === 'string' && !name.includes(';'))) {
          throw refuse('signedHeaders must be an array of header names');
        }
        names = fitting(list.join(';'), 'signedHeaders');
      }
      fields = {
        secretId: text('secretId'),
        secretKey: text('secretKey'),
        service: text('service'),
        host: text('host'),
        action: text('action'),
        version: text('version'),
        region: fitting(optionalText(input, 'region'), 'region'),
        timestamp: String(timestamp),
        contentType: fitting(optionalText(input, 'contentType'), 'contentType'),
        token: fitting(optionalText(input, 'token'), 'token'),
        language: fitting(optionalText(input, 'language'), 'language'),
        signedHeaders: names,
      };
      payload = payloadArguments(input.payload, limits.maxPayloadBytes, refuse);
    } catch (error) {
      throw error?.code === 'invalid_request_parameters' ? error : refuse(`the input could not be read (${reason(error)})`);
    }
    const { text, lineBreak } = encodeSignFields(fields);
    if (lineBreak) {
      throw refuse(`${lineBreak} must not hold a line break`);
    }
    const { headers, error } = decode(call('none', 'signRequest', text, ...payload));
    if (error) {
      throw fromCore(error);
    }
    return { authorization: headers.Authorization, headers };
  };

  /**
   * One request and its answer: `{ answer }` (the arguments of `sendAnswer`) or `{ failed }`
   * (those of `sendFailed`). Never throws: every failure is a value.
   */
  const attempt = async (request, signal, fetch = globalThis.fetch) => {
    if (typeof fetch !== 'function') {
      return { failed: ['not_started', 'no global fetch', undefined] };
    }
    let pending;
    try {
      // A redirect is an answer from somewhere that is not Tencent's API: never followed,
      // so the signed request (with the code and number) is never sent twice or elsewhere.
      const init = { method: 'POST', headers: request.headers, body: request.body, signal, redirect: 'manual' };
      pending = fetch(request.url, init);
    } catch (error) {
      return { failed: ['not_started', reason(error), undefined] };
    }
    try {
      const response = await untilAborted(Promise.resolve(pending), signal);
      // A browser gives an opaque redirect as status 0, no headers and no body.
      const status = response.type === 'opaqueredirect' ? 0 : response.status;
      const { bytes, truncated } = await readCapped(response, limits.maxBodyBytes, signal);
      return { answer: [status, response.headers.get('date') ?? undefined, bytes, truncated] };
    } catch (error) {
      return { failed: fetchFailure(error, signal) };
    }
  };

  /**
   * A begun send, attempt by attempt and route by route, as the core decides: `{ result }` or
   * `{ error }`. `step` calls the core for this send and returns its decoded reply, an error
   * included. `firstSignal`: the first route's time bound, started before any sendLimits counting.
   */
  const drive = async (first, step, firstSignal) => {
    let request = first;
    // Each route has its own time bound: the primary's, then the fallback's once the core moves
    // the send there (only after the primary provably sent nothing).
    let signal = firstSignal ?? AbortSignal.timeout(first.timeoutMs);
    // The core allows at most maxRequests; the bound here only guards against a broken core.
    for (let attempts = 0; attempts < limits.maxRequests; attempts += 1) {
      const outcome = await attempt(request, signal);
      const next = outcome.failed ? step('sendFailed', ...outcome.failed, Date.now()) : step('sendAnswer', ...outcome.answer, Date.now());
      if (next.fallback) {
        request = next.fallback;
        signal = AbortSignal.timeout(request.timeoutMs);
        continue;
      }
      if (next.retryInMs === undefined) {
        return next;
      }
      await sleep(next.retryInMs, signal);
      const retried = step('sendRetry', Date.now());
      if (retried.error) {
        return retried;
      }
      request = retried.request;
    }
    return { error: failure('general', { ...describe('The send was retried more often than allowed; the SMS may or may not have been sent.'), delivery: 'unknown' }) };
  };

  /**
   * One send as a value: `{ result }` or `{ error }`, with the core's `event` when the send got
   * that far. Throws only a trap's error from `sendBegin` (nothing was sent).
   */
  const send = async (data, config, id) => {
    const configText = readInput(config, 'connector config');
    if (configText.problem) {
      return { error: failure('invalid_config', { ...describe(configText.problem), delivery: 'not_sent' }) };
    }
    const messageText = readInput(data, 'message');
    if (messageText.problem) {
      return { error: failure('invalid_request_parameters', { ...describe(messageText.problem), delivery: 'not_sent' }) };
    }
    const { begun: first, count, error, event, result: rehearsed } = decode(call('not_sent', 'sendBegin', configText.text, messageText.text, Date.now(), id));
    if (error) {
      return { error: fromCore(error), event };
    }
    if (rehearsed) {
      // testNumbers or dryRun: nothing reaches Tencent; the code goes where Logto's mock SMS
      // connector puts it (record: the entry's writer; none in the browser).
      if (!record) {
        return { error: failure('general', { ...describe(`${rehearsed.reason} kept this SMS from Tencent, and its code can be written only by the Node entry (Logto's mock SMS file).`), delivery: 'not_sent' }), event };
      }
      try {
        await record(data);
      } catch (error) {
        // The core's event (masked number, dry_run) stays; the outcome is the failed write.
        const why = String(error?.code ?? error?.message ?? error).split('\n')[0].slice(0, 200);
        return { error: failure('general', { ...describe(`${rehearsed.reason} kept this SMS from Tencent, but its code could not be written to Logto's mock SMS file (${why}).`), delivery: 'not_sent' }), event: event && { ...event, outcome: 'failed' } };
      }
      return { result: rehearsed, event };
    }
    const { send, timeoutMs } = first ?? count;
    const sameInstance = generation;
    /** A later step of this send as a value; after a trap the core no longer knows it, and it may have left. */
    const step = (name, ...args) => {
      if (generation !== sameInstance) {
        return { error: trapped('restarted while this send was in flight', 'unknown') };
      }
      let reply;
      try {
        reply = decode(call('unknown', name, send, ...args));
      } catch (error) {
        if (error instanceof SmsConnectorError) {
          return { error };
        }
        throw error;
      }
      return reply.error ? { error: fromCore(reply.error), event: reply.event } : reply;
    };
    /** `sendLimits`: the counts, then the core's `{ begun }` or its refusal; nothing has left yet. */
    const counted = async () => {
      const counts = await countedIn(counter, count.counters);
      if (generation !== sameInstance) {
        return { error: trapped('restarted while this send was being counted', 'not_sent') };
      }
      try {
        const reply = decode(call('not_sent', 'sendCounted', send, counts, Date.now()));
        return reply.error ? { error: fromCore(reply.error), event: reply.event } : reply;
      } catch (error) {
        if (error instanceof SmsConnectorError) {
          return { error };
        }
        throw error;
      }
    };
    let outcome;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      const ready = count ? await counted() : { begun: first };
      outcome = ready.error ? ready : await drive(ready.begun, step, signal);
    } finally {
      if (generation === sameInstance) {
        try {
          glue.sendEnd(send);
        } catch {
          // Only a trap lands here; the next call replaces the instance.
        }
      }
    }
    // Why sendLimits' ip rules were skipped (no usable client address), for the caller to tell.
    return outcome.result && count?.note ? { ...outcome, result: { ...outcome.result, sendLimitsNote: count.note } } : outcome;
  };

  /**
   * The send's one event line: the core's (outcome, masked number, template, locale, attempts)
   * with the send id, the time, what Tencent answered (already in the result or error) and the
   * milliseconds. A reply without the core's event (bad input, a trap) is `failed`, or `sent`
   * with a result; a rehearsal's result (`dryRun`, issue 27) is `dry_run`.
   */
  const eventLine = (id, started, { result, error, event }) => {
    const data = error?.data;
    return JSON.stringify({
      event: 'tencent_sms_send',
      time: new Date().toISOString(),
      id,
      outcome: event?.outcome ?? (result ? (result.dryRun ? 'dry_run' : 'sent') : 'failed'),
      code: error?.code,
      tencentCode: data?.tencentCode,
      requestId: result?.requestId ?? data?.requestId,
      serialNo: result?.serialNo,
      fee: result?.fee,
      isoCode: result?.isoCode,
      templateId: event?.templateId,
      locale: event?.locale,
      route: result?.route ?? data?.route,
      attempts: event?.attempts ?? 0,
      ms: Math.round(performance.now() - started),
      to: event?.to,
    });
  };

  /** Writes a send's one event line. The core leaves the event out with sendLog "off"; a send it never saw asks the config. */
  const writeEvent = (id, started, outcome, config) => {
    try {
      if (log && (outcome.event || config?.sendLog !== 'off')) {
        log(eventLine(id, started, outcome));
      }
    } catch {
      // A hostile config (a revoked Proxy) or a broken log sink never changes a send's outcome.
    }
  };

  /** Sends one verification code; resolves to `{ requestId, serialNo, fee, isoCode, phoneNumber, route }`. */
  const sendMessage = async (data, config) => {
    const id = sendId();
    const started = performance.now();
    let outcome;
    try {
      outcome = await send(data, config, id);
    } catch (error) {
      outcome = { error };
    }
    writeEvent(id, started, outcome, config);
    if (outcome.error) {
      throw outcome.error;
    }
    return outcome.result;
  };

  /**
   * Any Tencent SMS API `action` (2021-01-11) with the connector's config, under the same rules as
   * a send (body cap, timeout, no redirect followed): resolves to Tencent's `Response` object, or
   * rejects with an SmsConnectorError mapped as SendSms's (tencentCode, requestId). `fetch`
   * defaults to the global one; `timeoutMs` to the config's.
   */
  const callTencent = async (config, action, params, { fetch, signal, timeoutMs } = {}) => {
    const configText = readInput(config, 'connector config');
    if (configText.problem) {
      throw failure('invalid_config', describe(configText.problem));
    }
    if (typeof action !== 'string' || !/^[A-Z][A-Za-z]{1,63}$/.test(action)) {
      throw failure('invalid_request_parameters', describe('callTencent: action must be a Tencent SMS API action name, e.g. PullSmsSendStatusByPhoneNumber.'));
    }
    // A message goes only through sendMessage, with its limits, policy, retry rules and event.
    if (action.startsWith('Send')) {
      throw failure('invalid_request_parameters', describe(`callTencent does not send messages (${action}): use sendMessage.`));
    }
    const { request, error } = decode(call('none', 'apiRequest', configText.text, String(action), JSON.stringify(params ?? {}), Date.now()));
    if (error) {
      throw fromCore(error);
    }
    const timeout = AbortSignal.timeout(timeoutMs ?? config?.timeoutMs ?? 10_000);
    const bound = signal && AbortSignal.any ? AbortSignal.any([signal, timeout]) : timeout;
    const outcome = await attempt(request, bound, fetch);
    if (outcome.failed) {
      const [stage, detail] = outcome.failed;
      const why = stage === 'timeout' ? 'no answer in time' : `the request failed (${detail ?? stage})`;
      throw failure('general', describe(`Tencent Cloud ${action}: ${why}; check the endpoint and this machine's network, then try again.`));
    }
    const [status, , bytes, truncated] = outcome.answer;
    const secret = typeof config.accessKeySecret === 'string' ? config.accessKeySecret : '';
    // The core judges the answer as SendSms's (its one parser and code table, the secret masked):
    // for another action, a Response without Error is the answer, and only its lack of
    // SendStatusSet made it `invalid_response`.
    const answered = decode(call('none', 'apiAnswer', secret, status, bytes, truncated));
    const response = status === 200 && !truncated ? responseOf(bytes, secret) : undefined;
    if (answered.error && !(answered.error.code === 'invalid_response' && response && !response.Error)) {
      throw fromCore(answered.error);
    }
    return response;
  };

  /**
   * The one event of a send that failed before it reached sendMessage (the host could not read
   * the saved config, or the console's unsaved form is invalid): `failed`, with its code.
   */
  const logUnsent = (error, config) => writeEvent(sendId(), performance.now(), { error }, config);

  return { validateConfig, signRequest, sendMessage, callTencent, logUnsent };
};

const noBytes = new Uint8Array(0);

/** Tencent's `Response` object in a body, an echoed secret masked; undefined for anything else. */
const responseOf = (bytes, secret) => {
  try {
    const text = new TextDecoder().decode(bytes);
    const { Response } = JSON.parse(secret ? text.replaceAll(secret, '[redacted]') : text);
    return Response !== null && typeof Response === 'object' && !Array.isArray(Response) ? Response : undefined;
  } catch {
    return undefined;
  }
};

/** A send's id (Tencent's SessionContext too): a UUID, or random hex where randomUUID is missing (an insecure browser page). */
const sendId = () => {
  const { crypto } = globalThis;
  if (typeof crypto?.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  crypto?.getRandomValues?.(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
};

/** `[text, bytes]` for the wasm: text goes straight into wasm memory, bytes as they are. */
const payloadArguments = (payload, max, refuse) => {
  const tooLarge = () => refuse(`payload is larger than ${max >> 20} MiB`);
  if (typeof payload === 'string') {
    // A UTF-16 unit is one to three UTF-8 bytes: measure only when it could be too large, and
    // refuse before anything huge is copied into wasm memory, which never shrinks.
    if (!fitsUtf8(payload, max)) {
      throw tooLarge();
    }
    return [payload, noBytes];
  }
  if (payload instanceof Uint8Array) {
    if (payload.length > max) {
      throw tooLarge();
    }
    return [undefined, payload];
  }
  throw refuse('payload must be the exact request body, as a string or Uint8Array');
};
