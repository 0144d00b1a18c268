// The one encoding of what crosses between JavaScript and the wasm, read and written here only;
// its twin is src/wire.rs, which documents the format. Every reply is text in lines: a tag line
// (`error`, or what a success holds), then one field per line. No field holds a line break, so
// the request body, itself JSON, crosses as it is instead of being escaped a second time.

/** The send's event on the line after `at`, the last of a send's last reply; undefined without one. */
const eventAfter = (text, at) => (at + 1 < text.length ? JSON.parse(text.slice(at + 1)) : undefined);

/** `name`, `value` line pairs from `start` on, as one plain object. */
const headersFrom = (lines, start) => {
  const headers = {};
  for (let index = start; index + 1 < lines.length; index += 2) {
    headers[lines[index]] = lines[index + 1];
  }
  return headers;
};

/**
 * A reply as a value: `{ error: { code, data }, event? }`, `{ validation }`, `{ limits }`, `{ headers }`,
 * `{ begun: { send, timeoutMs, url, body, headers } }`, `{ request: { url, body, headers } }`,
 * `{ fallback: { timeoutMs, url, body, headers } }`, `{ retryInMs }`, `{ result, event? }` or
 * `{ count: { send, timeoutMs, note?, counters: [{ key, max, windowMs }] } }`, as
 * `wire::decode` reads it too.
 */
export const decode = (text) => {
  const end = text.indexOf('\n');
  // One object literal per tag (no computed keys, no spread): this runs on every send step.
  switch (text.slice(0, end)) {
    case 'error': {
      const next = text.indexOf('\n', end + 1);
      return { error: JSON.parse(text.slice(end + 1, next)), event: eventAfter(text, next) };
    }
    case 'result': {
      const next = text.indexOf('\n', end + 1);
      return { result: JSON.parse(text.slice(end + 1, next)), event: eventAfter(text, next) };
    }
    case 'retry':
      return { retryInMs: Number(text.slice(end + 1, -1)) };
    case 'begun': {
      const lines = text.split('\n');
      return { begun: { send: Number(lines[1]), timeoutMs: Number(lines[2]), url: lines[3], body: lines[4], headers: headersFrom(lines, 5) } };
    }
    case 'request': {
      const lines = text.split('\n');
      return { request: { url: lines[1], body: lines[2], headers: headersFrom(lines, 3) } };
    }
    case 'fallback': {
      const lines = text.split('\n');
      return { fallback: { timeoutMs: Number(lines[1]), url: lines[2], body: lines[3], headers: headersFrom(lines, 4) } };
    }
    case 'headers':
      return { headers: headersFrom(text.split('\n'), 1) };
    case 'validation':
      return { validation: JSON.parse(text.slice(end + 1)) };
    case 'limits':
      return { limits: JSON.parse(text.slice(end + 1)) };
    case 'count': {
      const lines = text.split('\n');
      const counters = [];
      for (let index = 4; index + 2 < lines.length; index += 3) {
        counters.push({ key: lines[index], max: Number(lines[index + 1]), windowMs: Number(lines[index + 2]) });
      }
      return { count: { send: Number(lines[1]), timeoutMs: Number(lines[2]), note: lines[3] || undefined, counters } };
    }
    default:
      throw new TypeError(`The connector's wasm gave a reply this JS does not know ("${text.slice(0, Math.min(end >>> 0, 40))}"): reinstall the package.`);
  }
};

/**
 * `signRequest`'s fields (strings, or undefined when not given) as `name`, `value` line pairs:
 * `{ text }`, or `{ lineBreak: name }` for a value that holds one and cannot cross.
 */
export const encodeSignFields = (fields) => {
  let text = '';
  // for…in: no array of keys to allocate on this hot path; the objects given are plain.
  for (const name in fields) {
    const value = fields[name];
    if (value !== undefined) {
      if (value.includes('\n')) {
        return { lineBreak: name };
      }
      text += `${name}\n${value}\n`;
    }
  }
  return { text };
};
