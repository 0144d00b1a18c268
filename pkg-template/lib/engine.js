// The boundary between JavaScript and the wasm core, shared by the Node and browser entries.
// Values cross as JSON text, strings and bytes; the wasm calls no JavaScript, so no exception can
// unwind through it. Every wasm call happens here inside a try/catch: a trap replaces the
// instance at once (synchronously, from the compiled module) and fails only the calls that were
// using it. `fetch` is called here, between the send steps the core decides.

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

/** Deeper values are never read by the validator; cutting them keeps serde_json's limit away. */
const MAX_DEPTH = 32;
// A lone surrogate is valid in a JS string but not in JSON text that serde_json reads.
const loneSurrogates = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (text) =>
  String.prototype.isWellFormed
    ? text.isWellFormed() ? text : text.toWellFormed()
    : text.replace(loneSurrogates, '\uFFFD');

/**
 * JSON text of `value` as JSON.stringify sees it (toJSON, no functions, cycles refused), with
 * values below MAX_DEPTH cut to null, refused cheaply once over `maxBytes`.
 */
const jsonText = (value, maxBytes) => {
  let left = maxBytes;
  // The objects from the root down to the value being visited: JSON.stringify walks depth first
  // and calls the replacer with the holder as `this`, so the holder is always on this path.
  const path = [];
  const text = JSON.stringify(value, function replace(key, item) {
    while (path.length > 0 && path[path.length - 1] !== this) {
      path.pop();
    }
    left -= key.length + 8;
    if (typeof item === 'string') {
      left -= item.length;
      item = wellFormed(item);
    } else if (typeof item === 'bigint') {
      throw new TypeError(`"${key}" is a BigInt; use a number or a string`);
    } else if (item !== null && typeof item === 'object') {
      if (path.length > MAX_DEPTH) {
        return null;
      }
      path.push(item);
      // Before JSON.stringify walks it: a sparse array may claim 2^32 - 1 items.
      if (Array.isArray(item)) {
        left -= item.length;
      }
    }
    if (left < 0) {
      throw new RangeError(`it is larger than ${maxBytes >> 20} MiB`);
    }
    return item;
  });
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

/** Reads at most `cap` bytes of the body: whole when its declared length fits, else streamed. */
const readCapped = async (response, cap) => {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared <= cap || !response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length <= cap ? { bytes, truncated: false } : { bytes: bytes.subarray(0, cap), truncated: true };
  }
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    if (length + value.length > cap) {
      reader.cancel().catch(() => {});
      return { bytes: concat(chunks, length), truncated: true };
    }
    chunks.push(value);
    length += value.length;
  }
  return { bytes: concat(chunks, length), truncated: false };
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

/** The stage a failed fetch reached, as the core's `sendFailed` takes it. */
const fetchFailure = (error, signal) => {
  if (signal.aborted) {
    return ['timeout', undefined];
  }
  const cause = error?.cause;
  // undici checks the port before connecting and reports it only in the cause's message.
  if (cause?.message === 'bad port') {
    return ['not_started', 'bad port'];
  }
  return ['network', typeof cause?.code === 'string' ? cause.code : undefined];
};

const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * The core answers a request or signature as lines (nothing in them holds a line break, and
 * lines need no JSON escaping) and an error as JSON text, which starts with `{`.
 */
const linesOrThrow = (text) => {
  if (text.startsWith('{')) {
    throw fromCore(JSON.parse(text).error);
  }
  return text.split('\n');
};

/** `name`, `value` line pairs from `start` on, as one plain object. */
const headersFrom = (lines, start) => {
  const headers = {};
  for (let index = start; index + 1 < lines.length; index += 2) {
    headers[lines[index]] = lines[index + 1];
  }
  return headers;
};

/** The URL, the body, then the headers, from line `start` on. */
const requestFrom = (lines, start) => ({ url: lines[start], body: lines[start + 1], headers: headersFrom(lines, start + 2) });

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
 * The core's exports over one wasm-bindgen glue module. `load()` initialises the glue once;
 * it runs on first use so importing stays cheap.
 */
export const createEngine = ({ glue, load }) => {
  let limits;
  /** Bumped by every trap: sends begun on an older instance are over. */
  let generation = 0;

  const ready = () => {
    if (limits === undefined) {
      load();
      limits = JSON.parse(glue.limits());
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

  const readInput = (value, what) => {
    ready();
    try {
      return { text: jsonText(value, limits.maxInputBytes) };
    } catch (error) {
      return { problem: `The ${what} cannot be read as JSON (${reason(error)}): give a plain JSON object.` };
    }
  };

  /** `{ valid, errors: [{ path, code, message }], warnings }` for a connector config. */
  const validateConfig = (config) => {
    const { text, problem } = readInput(config, 'config');
    if (problem) {
      return { valid: false, errors: [{ path: [], code: 'not_json', message: problem }], warnings: [] };
    }
    return JSON.parse(call('none', 'validateConfig', text));
  };

  /** Signs any Tencent Cloud API 3.0 request with TC3-HMAC-SHA256. */
  const signRequest = (input) => {
    ready();
    const refuse = (message) => failure('invalid_request_parameters', describe(`signRequest: ${message}.`));
    if (input === null || typeof input !== 'object') {
      throw refuse('needs an object of inputs');
    }
    let args;
    try {
      const text = (key) => {
        const value = input[key];
        if (typeof value !== 'string') {
          throw refuse(`${key} must be a string`);
        }
        return value;
      };
      const { timestamp, payload, signedHeaders } = input;
      if (typeof timestamp !== 'number') {
        throw refuse('timestamp must be Unix time in whole seconds');
      }
      let names;
      if (signedHeaders !== undefined && signedHeaders !== null) {
        if (!Array.isArray(signedHeaders) || signedHeaders.length > 16) {
          throw refuse('signedHeaders must be an array of at most 16 header names');
        }
        const list = Array.from(signedHeaders);
        if (!list.every((name) => typeof name === 'string' && !name.includes(';'))) {
          throw refuse('signedHeaders must be an array of header names');
        }
        names = list.join(';');
      }
      args = [
        text('secretId'),
        text('secretKey'),
        text('service'),
        text('host'),
        text('action'),
        text('version'),
        optionalText(input, 'region'),
        timestamp,
        optionalText(input, 'contentType'),
        optionalText(input, 'token'),
        optionalText(input, 'language'),
        names,
        ...payloadArguments(payload, limits.maxPayloadBytes, refuse),
      ];
    } catch (error) {
      throw error?.code === 'invalid_request_parameters' ? error : refuse(`the input could not be read (${reason(error)})`);
    }
    const headers = headersFrom(linesOrThrow(call('none', 'signRequest', ...args)), 0);
    return { authorization: headers.Authorization, headers };
  };

  /** Sends one verification code; resolves to `{ requestId, serialNo, fee, isoCode, phoneNumber }`. */
  const sendMessage = async (data, config) => {
    const configText = readInput(config, 'connector config');
    if (configText.problem) {
      throw failure('invalid_config', describe(configText.problem));
    }
    const messageText = readInput(data, 'message');
    if (messageText.problem) {
      throw failure('invalid_request_parameters', describe(messageText.problem));
    }
    const first = linesOrThrow(call('not_sent', 'sendBegin', configText.text, messageText.text, Date.now()));
    const send = Number(first[0]);
    const timeoutMs = Number(first[1]);
    const sameInstance = generation;
    /** A later step of this send; after a trap the core no longer knows it, and it may have left. */
    const onItsInstance = (name, ...args) => {
      if (generation !== sameInstance) {
        throw trapped('restarted while this send was in flight', 'unknown');
      }
      return call('unknown', name, send, ...args);
    };
    const step = (name, ...args) => {
      const out = JSON.parse(onItsInstance(name, ...args));
      if (out.error) {
        throw fromCore(out.error);
      }
      return out;
    };
    const signal = AbortSignal.timeout(timeoutMs);
    let request = requestFrom(first, 2);
    try {
      // The core allows at most four attempts; the bound here only guards against a broken core.
      for (let attempt = 0; attempt < 8; attempt += 1) {
        let answer;
        try {
          const { fetch } = globalThis;
          if (typeof fetch !== 'function') {
            step('sendFailed', 'not_started', 'no global fetch');
          }
          let pending;
          try {
            pending = fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal });
          } catch (error) {
            step('sendFailed', 'not_started', reason(error));
          }
          const response = await pending;
          const { bytes, truncated } = await readCapped(response, limits.maxBodyBytes);
          answer = [response.status, response.headers.get('date') ?? undefined, bytes, truncated];
        } catch (error) {
          if (error instanceof SmsConnectorError) {
            throw error;
          }
          step('sendFailed', ...fetchFailure(error, signal));
        }
        const next = step('sendAnswer', ...answer, Date.now());
        if (next.result) {
          return next.result;
        }
        await sleep(next.retryInMs, signal);
        request = requestFrom(linesOrThrow(onItsInstance('sendRetry', Date.now())), 0);
      }
      throw failure('general', describe('The send was retried more often than allowed; the SMS may or may not have been sent.'));
    } finally {
      if (generation === sameInstance) {
        try {
          glue.sendEnd(send);
        } catch {
          // Only a trap lands here; the next call replaces the instance.
        }
      }
    }
  };

  return { validateConfig, signRequest, sendMessage };
};

const noBytes = new Uint8Array(0);

/** `[text, bytes]` for the wasm: text goes straight into wasm memory, bytes as they are. */
const payloadArguments = (payload, max, refuse) => {
  const tooLarge = () => refuse('payload is larger than 8 MiB');
  if (typeof payload === 'string') {
    // A UTF-16 unit is one to three UTF-8 bytes: measure only when it could be too large, and
    // refuse before anything huge is copied into wasm memory, which never shrinks.
    if (payload.length > max || (payload.length * 3 > max && new TextEncoder().encode(payload).length > max)) {
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
