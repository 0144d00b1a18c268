// callTencent, the generic signed call the CLI's `status` and the rehearsal build on: signed and
// answered like a send, its errors mapped like SendSms's, no secret in anything it gives back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { callTencent } from '../pkg/lib/node.js';

import { everythingPrinted, secretKey, startLocalTencent } from '../tests/support/fixtures.js';

let server;
let config;
before(async () => ({ server, config } = await startLocalTencent()));
after(() => server?.close());

const now = () => Math.floor(Date.now() / 1000);
const pullParams = () => ({ PhoneNumber: '+8613711112222', SmsSdkAppId: config.sdkAppId, BeginTime: now() - 3600, EndTime: now(), Offset: 0, Limit: 10 });

test('an action is signed with the config, sent as given and answered with Tencent\'s Response', async () => {
  server.reset();
  const response = await callTencent(config, 'PullSmsSendStatusByPhoneNumber', pullParams());
  assert.deepEqual(response.PullSmsSendStatusSet, []);
  assert.match(response.RequestId, /^[0-9a-f-]{36}$/);
  const [request] = server.requests;
  assert.equal(server.requests.length, 1);
  assert.equal(request.signatureValid, true);
  assert.equal(request.headers['x-tc-action'], 'PullSmsSendStatusByPhoneNumber');
  assert.equal(request.answeredCode, null, 'the server accepted every parameter');
  assert.deepEqual(Object.keys(request.body).sort(), Object.keys(pullParams()).sort());
});

test('a refusal is mapped like a send\'s, with Tencent\'s code and RequestId, and no secret', async () => {
  server.reset();
  server.set({ requestCode: 'AuthFailure.SecretIdNotFound' });
  const error = await callTencent(config, 'PullSmsSendStatusByPhoneNumber', pullParams()).then(() => assert.fail('expected a refusal'), (error) => error);
  assert.equal(error.code, 'invalid_config');
  assert.equal(error.data.tencentCode, 'AuthFailure.SecretIdNotFound');
  assert.match(error.data.requestId, /^[0-9a-f-]{36}$/);
  assert.ok(!everythingPrinted(error).includes(secretKey));
  server.reset();
});

test('a bad action, a gateway page and no answer in time are errors, never a throw of another kind', async () => {
  const bad = await callTencent(config, 'Send Sms', {}).catch((error) => error);
  assert.equal(bad.code, 'invalid_request_parameters');
  server.set({ fault: 'html502' });
  const gateway = await callTencent(config, 'PullSmsSendStatusByPhoneNumber', pullParams()).catch((error) => error);
  assert.equal(gateway.code, 'invalid_response');
  assert.equal(gateway.data.status, 502);
  server.set({ fault: 'hang' });
  const late = await callTencent(config, 'PullSmsSendStatusByPhoneNumber', pullParams(), { timeoutMs: 300 }).catch((error) => error);
  assert.equal(late.code, 'general');
  assert.match(late.data.message, /no answer in time/);
  server.reset();
});

test('callTencent never sends a message: SendSms goes through sendMessage, with its limits and event', async () => {
  server.reset();
  for (const action of ['SendSms', 'SendSmsMultiple']) {
    const error = await callTencent(config, action, {}).catch((caught) => caught);
    assert.equal(error.code, 'invalid_request_parameters');
    assert.match(error.data.message, /does not send messages/);
  }
  assert.equal(server.requests.length, 0);
});
