// Loads the wasm core from the bytes shipped beside this file (no fetch, no bundler) and keeps it
// usable: if a call ever traps, later calls run on a fresh instance.
import { readFileSync } from 'node:fs';

import * as firstGlue from './wasm/tencent_sms.js';

const wasmUrl = new URL('wasm/tencent_sms_bg.wasm', import.meta.url);
let compiled;
/** The initialised glue; undefined while a trapped instance is being replaced. */
let glue;
let generation = 0;
let replacing;

const compiledModule = () => (compiled ??= new WebAssembly.Module(readFileSync(wasmUrl)));

const isTrap = (error) =>
  error instanceof WebAssembly.RuntimeError ||
  (error instanceof RangeError && /call stack/i.test(error.message));

const current = () => {
  if (!glue && generation === 0) {
    firstGlue.initSync({ module: compiledModule() });
    glue = firstGlue;
  }
  return glue;
};

// A module URL with a new query string is a new module record, so a fresh glue with its own
// instance; calls still running on the trapped one keep their own references.
const replaceInstance = () => {
  glue = undefined;
  replacing ??= import(`./wasm/tencent_sms.js?instance=${++generation}`)
    .then((fresh) => {
      fresh.initSync({ module: compiledModule() });
      glue = fresh;
    })
    .finally(() => {
      // Whether it worked or not, a later call may start another attempt.
      replacing = undefined;
    });
  return replacing;
};

const recovering = () =>
  Object.assign(new Error('The SMS connector is restarting after an internal error: try again.'), {
    code: 'general',
    data: { errorDescription: 'The SMS connector is restarting after an internal error: try again.' },
  });

// A trap can come after the request left, so a send's outcome is unknown.
const trapped = (error) => {
  replaceInstance().catch(() => {});
  const message =
    'The SMS connector hit an internal error and was restarted; if this was a send, the SMS may or may not have been sent.';
  return Object.assign(new Error(message), {
    code: 'general',
    data: { errorDescription: message, message, delivery: 'unknown', trap: String(error?.message ?? error) },
  });
};

export const callSync = (name, ...args) => {
  const module = current();
  if (!module) {
    replaceInstance().catch(() => {});
    throw recovering();
  }
  try {
    return module[name](...args);
  } catch (error) {
    throw isTrap(error) ? trapped(error) : error;
  }
};

export const callAsync = async (name, ...args) => {
  if (!current()) {
    await replaceInstance();
  }
  try {
    return await glue[name](...args);
  } catch (error) {
    throw isTrap(error) ? trapped(error) : error;
  }
};
