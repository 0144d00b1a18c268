// A wasm trap must never leave the connector unusable nor a promise unsettled. Each test traps the
// live instance itself, by overwriting its linear memory (allocator and state included) with 0xFF
// through the glue module, and depends on no other test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { configGuard, sendMessage, validateConfig } from '../pkg/lib/index.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';

import { startLocalTencent } from '../tests/support/fixtures.js';

let server;
let config;
before(async () => ({ server, config } = await startLocalTencent()));
after(() => server?.close());

const message = (code) => ({ to: '8613711112222', type: 'SignIn', payload: { code } });

/** Corrupts whichever instance is live now; its next call traps. */
const corruptLiveInstance = () => {
  validateConfig({}); // Loads the wasm if this test runs first.
  new Uint8Array(glue.initSync().memory.buffer).fill(0xff);
};

const failureOf = (promise) =>
  promise.then(
    () => assert.fail('expected a failure'),
    (error) => error,
  );

test('a synchronous call that traps fails clearly, and the very next call works', () => {
  corruptLiveInstance();
  assert.throws(
    () => validateConfig(config),
    (error) => error instanceof ConnectorError && error.code === 'general' && /restarted/.test(error.data.message),
  );
  // No waiting for the event loop: the fresh instance was made synchronously.
  assert.deepEqual(validateConfig(config), { valid: true, errors: [], warnings: [] });
  assert.equal(configGuard.safeParse(config).success, true);
});

test('configGuard turns a trap into an issue, not a throw, and recovers', () => {
  corruptLiveInstance();
  const result = configGuard.safeParse(config);
  assert.equal(result.success, false);
  assert.match(result.error.issues[0].message, /restarted/);
  assert.equal(configGuard.safeParse(config).success, true);
});

test('a send that traps before its request left says not_sent, and the next send succeeds', async () => {
  server.reset();
  corruptLiveInstance();
  const error = await failureOf(sendMessage(message('111111'), config));
  assert.ok(error instanceof ConnectorError, `${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.code, 'general');
  assert.equal(error.data.delivery, 'not_sent');
  assert.equal(server.requests.length, 0);
  const result = await sendMessage(message('222222'), config);
  assert.equal(result.phoneNumber, '+8613711112222');
});

test('a trap while sends are in flight fails each of them as unknown; none is left pending', async () => {
  server.reset();
  // Held answers: no send can finish before the trap, however slow the machine.
  server.set({ hold: true });
  try {
    const sends = Array.from({ length: 5 }, (_, index) => sendMessage(message(String(300_000 + index)), config));
    // Let every request reach the server, then trap the instance under them.
    const deadline = Date.now() + 5_000;
    while (server.requests.length < sends.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(server.requests.length, sends.length, 'all requests were sent');
    corruptLiveInstance();
    server.release();
    const outcomes = await Promise.allSettled(sends);
    for (const outcome of outcomes) {
      assert.equal(outcome.status, 'rejected');
      assert.ok(outcome.reason instanceof ConnectorError);
      assert.equal(outcome.reason.code, 'general');
      assert.equal(outcome.reason.data.delivery, 'unknown', 'the requests may have been processed');
    }
  } finally {
    server.reset();
  }
  const result = await sendMessage(message('333333'), config);
  assert.equal(result.phoneNumber, '+8613711112222');
});
