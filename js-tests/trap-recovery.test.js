// A wasm trap must never leave the connector unusable: corrupt the instance's memory so the next
// call traps, then check the error is a clear ConnectorError and later calls work again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { sendMessage, validateConfig } from '../pkg/lib/index.js';

import { makeConfig, secretId, secretKey } from './support/fixtures.js';
import { startTencentServer } from './support/tencent-server.js';

let server;
let config;

before(async () => {
  server = await startTencentServer({ credentials: { [secretId]: secretKey } });
  config = makeConfig(server.url);
});
after(() => server?.close());

/** Overwrites the live instance's linear memory (allocator state included) with 0xFF. */
const corruptInstance = async () => {
  const glue = await import('../pkg/lib/wasm/tencent_sms.js');
  const { memory } = glue.initSync();
  new Uint8Array(memory.buffer).fill(0xff);
};

test('a send that traps fails as a ConnectorError, and the next send succeeds', async () => {
  assert.equal(validateConfig(config).valid, true);
  await corruptInstance();
  const error = await sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '1' } }, config).catch((failure) => failure);
  assert.ok(error instanceof ConnectorError, `${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.code, 'general');
  assert.equal(error.data.delivery, 'unknown');
  assert.match(error.data.message, /restarted/);

  const result = await sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '2' } }, config);
  assert.equal(result.phoneNumber, '+8613711112222');
  assert.deepEqual(validateConfig(config), { valid: true, errors: [], warnings: [] });
});

test('a synchronous call that traps recovers by the next call', async () => {
  // The previous test replaced the instance; corrupt the new one through its own glue.
  const { memory } = (await import('../pkg/lib/wasm/tencent_sms.js?instance=1')).initSync();
  new Uint8Array(memory.buffer).fill(0xff);
  assert.throws(() => validateConfig({}), (error) => error.code === 'general' && /restarted/.test(error.message));
  // The fresh instance loads asynchronously; a send waits for it, later sync calls use it.
  await sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '3' } }, config);
  assert.equal(validateConfig({}).errors[0].path[0], 'accessKeyId');
});
