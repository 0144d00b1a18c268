// Hostile values at the boundary between JavaScript and the wasm core, against the packed
// package: every call returns or rejects with the host's ConnectorError, promptly, and the next
// innocent call works. Numbers refer to the cases of the boundary issue (#10).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { configGuard, sendMessage, signRequest, validateConfig } from '../pkg/lib/index.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';

import { signInput } from '../scripts/bench/fixtures.mjs';
import { everythingPrinted, secretKey, startLocalTencent } from '../tests/support/fixtures.js';
import { rejection } from './support/rejection.js';

let server;
let config;
before(async () => ({ server, config } = await startLocalTencent()));
after(() => server?.close());

const message = (code = '123456') => ({ to: '8613711112222', type: 'SignIn', payload: { code } });

/** Values whose mere reading throws, or that claim to be enormous. */
const hostileValues = () => {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  const throwingGetter = [];
  Object.defineProperty(throwingGetter, 0, { enumerable: true, get: () => { throw new Error('getter says no'); } });
  const sparse = [];
  sparse.length = 2 ** 32 - 1;
  const cyclic = { ...config };
  cyclic.self = cyclic;
  return {
    'a Proxy whose ownKeys throws': new Proxy({}, { ownKeys: () => { throw new Error('ownKeys says no'); } }),
    'a revoked Proxy': revocable.proxy,
    'an array whose getter throws': throwingGetter,
    'a sparse array of length 2^32 - 1': sparse,
    'a cyclic object': cyclic,
    'a BigInt field': { ...config, timeoutMs: 10n },
    'a toJSON that throws': { toJSON: () => { throw new Error('toJSON says no'); } },
  };
};

const validSignInput = () => ({ ...signInput });

describe('1. a JS exception while reading the input rejects the call itself', () => {
  for (const [name, value] of Object.entries(hostileValues())) {
    test(`${name} as config or as message`, async () => {
      const started = performance.now();
      const asConfig = await rejection(sendMessage(message(), value));
      assert.ok(asConfig instanceof ConnectorError);
      assert.equal(asConfig.code, 'invalid_config');
      // A claimed length over the input budget is refused as too large before it is walked.
      assert.match(asConfig.data.message, /cannot be read as JSON|is larger than 1 MiB/);
      assert.equal(asConfig.data.delivery, 'not_sent');
      const asMessage = await rejection(sendMessage(value, config));
      assert.ok(asMessage instanceof ConnectorError);
      assert.equal(asMessage.code, 'invalid_request_parameters');
      const validation = validateConfig(value);
      assert.equal(validation.valid, false);
      assert.equal(validation.errors[0].code, name.startsWith('a sparse array') ? 'too_large' : 'not_json');
      // zod's safeParse inspects the value itself (Array.isArray, .then) before any check of
      // ours runs, so a revoked Proxy throws inside zod; Logto's configs are parsed JSON.
      if (name !== 'a revoked Proxy') {
        assert.equal(configGuard.safeParse(value).success, false);
      }
      assert.ok(performance.now() - started < 1_000, 'refused without walking a claimed length');
    });
  }

  test('signRequest with throwing or huge inputs throws a ConnectorError', () => {
    for (const value of Object.values(hostileValues())) {
      assert.throws(() => signRequest(value), ConnectorError);
      assert.throws(() => signRequest({ ...validSignInput(), signedHeaders: value }), ConnectorError);
    }
    const getter = Object.defineProperty(validSignInput(), 'secretKey', { get: () => { throw new Error('no'); } });
    assert.throws(() => signRequest(getter), (error) => error.code === 'invalid_request_parameters');
  });

  test('a process with no error handlers survives every hostile call, and all of them settle', () => {
    const script = fileURLToPath(new URL('./support/hostile-child.js', import.meta.url));
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.status, 0, `exit ${child.status} ${child.signal ?? ''}\n${child.stderr}`);
    assert.match(child.stdout, /^settled \d+ of \d+$/m);
    const [, settled, total] = child.stdout.match(/settled (\d+) of (\d+)/);
    assert.equal(settled, total);
  });
});

describe('2. thrown inputs leak nothing: thousands of them, then a valid call', () => {
  test('validateConfig, configGuard and signRequest each survive 3,000 throwing inputs', () => {
    const throwingKeys = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    const throwingReads = new Proxy({}, { get: () => { throw new Error('no'); } });
    for (let index = 0; index < 3_000; index += 1) {
      assert.equal(validateConfig(throwingKeys).valid, false);
      assert.equal(configGuard.safeParse(throwingKeys).success, false);
      assert.throws(() => signRequest(throwingReads), ConnectorError);
    }
    assert.equal(validateConfig(config).valid, true);
    assert.match(signRequest(validSignInput()).authorization, /^TC3-HMAC-SHA256 /);
  });

  test('sendMessage survives 1,000 throwing inputs, then sends', async () => {
    const throwing = new Proxy({}, { ownKeys: () => { throw new Error('no'); } });
    for (let index = 0; index < 1_000; index += 1) {
      await rejection(sendMessage(throwing, config));
    }
    const result = await sendMessage(message(), config);
    assert.equal(result.phoneNumber, '+8613711112222');
  });
});

describe('4. no answer can poison later sends', () => {
  test('a server clock years off is reported, not retried and not remembered', async () => {
    server.reset();
    server.set({ skewMs: 5 * 365 * 24 * 3_600_000 });
    try {
      const error = await rejection(sendMessage(message(), config));
      assert.equal(error.code, 'general');
      assert.equal(error.data.tencentCode, 'AuthFailure.SignatureExpire');
      assert.match(error.data.message, /more than a day/);
      assert.equal(server.requests.length, 1, 'not retried');
    } finally {
      server.reset();
    }
    const result = await sendMessage(message(), config);
    assert.equal(result.phoneNumber, '+8613711112222');
    assert.equal(server.requests.length, 1, 'the next send went out at once, correctly signed');
  });
});

describe('5. no fragment of the secret gets through', () => {
  /** A server answering each request with the next of `bodies`, as they are. */
  const rawServer = async (bodies) => {
    const queue = [...bodies];
    const http = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end(queue.shift() ?? '{}'));
    });
    await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${http.address().port}`, close: () => new Promise((resolve) => http.close(resolve)) };
  };
  const escapedSecret = `\\u00${secretKey.charCodeAt(0).toString(16)}${secretKey.slice(1)}`;
  const half = secretKey.length / 2;
  const answers = {
    'escaped with one \\u escape': `{"Response":{"Error":{"Code":"InternalError","Message":"${escapedSecret}"},"RequestId":"r"}}`,
    'where truncation cuts it': `{"Response":{"Error":{"Code":"${'C'.repeat(95)}${secretKey}","Message":"m"},"RequestId":"r"}}`,
    'split across Code and RequestId': `{"Response":{"Error":{"Code":"${secretKey.slice(0, half)}","Message":"m"},"RequestId":"${secretKey.slice(half)}"}}`,
    'escaped in a body that is not JSON': `<html>${escapedSecret}</html>`,
    'in a successful result': `{"Response":{"SendStatusSet":[{"SerialNo":"${secretKey}","PhoneNumber":"+8613711112222","Fee":1,"Code":"Ok","Message":"ok","IsoCode":"CN"}],"RequestId":"${secretKey.slice(1)}"}}`,
  };
  const fragments = Array.from({ length: secretKey.length - 7 }, (_, start) => secretKey.slice(start, start + 8));

  for (const [name, body] of Object.entries(answers)) {
    test(`an answer echoing the secret ${name}`, async () => {
      const raw = await rawServer([body]);
      try {
        const outcome = await sendMessage(message(), { ...config, endpoint: raw.url }).then(
          (result) => JSON.stringify(result),
          (error) => everythingPrinted(error),
        );
        for (const fragment of fragments) {
          assert.ok(!outcome.includes(fragment), `${fragment} shown in ${outcome}`);
        }
        assert.ok(!outcome.includes(escapedSecret.slice(0, 12)), 'nor its escaped form');
      } finally {
        await raw.close();
      }
    });
  }

  test('a short secret is masked whatever its length', async () => {
    const shortSecret = 'Ab3xZ';
    const raw = await rawServer([`{"Response":{"Error":{"Code":"InternalError","Message":"key ${shortSecret}"},"RequestId":"r"}}`]);
    try {
      const error = await rejection(sendMessage(message(), { ...config, accessKeySecret: shortSecret, endpoint: raw.url }));
      assert.doesNotMatch(everythingPrinted(error), new RegExp(shortSecret));
    } finally {
      await raw.close();
    }
  });
});

describe('6. a request the host refuses to start is not_sent', () => {
  const withFetch = async (fetch, run) => {
    const original = globalThis.fetch;
    globalThis.fetch = fetch;
    try {
      return await run();
    } finally {
      globalThis.fetch = original;
    }
  };

  test('a fetch that throws synchronously, or rejects a bad port, reports not_sent', async () => {
    const refusals = [
      () => { throw new TypeError('Request cannot be constructed'); },
      async () => { throw new TypeError('fetch failed', { cause: new Error('bad port') }); },
      undefined,
    ];
    for (const fetch of refusals) {
      const error = await withFetch(fetch, () => rejection(sendMessage(message(), config)));
      assert.ok(error instanceof ConnectorError);
      assert.equal(error.data.delivery, 'not_sent', error.data.message);
      assert.match(error.data.message, /was not sent/);
    }
  });

  test('the global fetch is looked up at call time', async () => {
    let calls = 0;
    const counting = (...args) => {
      calls += 1;
      return globalThis.originalFetchForTest(...args);
    };
    globalThis.originalFetchForTest = globalThis.fetch;
    await withFetch(counting, () => sendMessage(message(), config));
    delete globalThis.originalFetchForTest;
    assert.equal(calls, 1);
  });
});

describe('7. signRequest caps string payloads like bytes', () => {
  test('a 9 MiB string payload is refused before it reaches wasm memory', () => {
    signRequest(validSignInput());
    const before = glue.initSync().memory.buffer.byteLength;
    assert.throws(
      () => signRequest({ ...validSignInput(), payload: 'x'.repeat(9 << 20) }),
      (error) => error instanceof ConnectorError && /larger than 8 MiB/.test(error.data.message),
    );
    assert.equal(glue.initSync().memory.buffer.byteLength, before, 'wasm memory did not grow');
  });
});
