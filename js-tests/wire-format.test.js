// The one JS<->wasm encoding (pkg-template/lib/wire.js and src/wire.rs), round-tripped through
// the real wasm: what wire.js writes the wasm reads, and every reply the wasm writes wire.js
// reads back to the values it was made from.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { signRequest } from '../pkg/lib/index.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';
import { decode, encodeSignFields } from '../pkg/lib/wire.js';

import { signInput } from '../scripts/bench/fixtures.mjs';
import { signTc3 } from '../tests/support/tc3-node.mjs';
import { makeConfig } from '../tests/support/fixtures.js';

const NOW = 1_700_000_000_000;
const OK_BODY = '{"Response":{"SendStatusSet":[{"SerialNo":"s-1","PhoneNumber":"+8613711112222","Fee":1,"SessionContext":"","Code":"Ok","Message":"send success","IsoCode":"CN"}],"RequestId":"r-1"}}';
const message = JSON.stringify({ to: '8613711112222', type: 'SignIn', payload: { code: '123456' } });

// signRequest loads the wasm on first use; the raw glue calls below share that instance.
signRequest({ ...signInput });

const { payload, ...fields } = { ...signInput, timestamp: String(signInput.timestamp) };

test('limits: every figure the JS layer needs, as numbers', () => {
  const { limits } = decode(glue.limits());
  assert.deepEqual(Object.keys(limits).sort(), ['maxAttempts', 'maxBodyBytes', 'maxDepth', 'maxInputBytes', 'maxPayloadBytes', 'maxRequests', 'maxSignedHeaders']);
  for (const value of Object.values(limits)) {
    assert.ok(Number.isSafeInteger(value) && value > 0, String(value));
  }
});

test('signRequest fields in, exactly the headers to send out (Host signed, not returned)', () => {
  const { text } = encodeSignFields(fields);
  const { headers } = decode(glue.signRequest(text, payload, new Uint8Array(0)));
  const { Host, ...expected } = signTc3({ ...signInput }).headers;
  assert.equal(Host, signInput.host);
  assert.deepEqual(headers, expected, 'a signer written apart from ours agrees, header for header');
  // As bytes, and with every optional field given, the same encoding.
  assert.deepEqual(decode(glue.signRequest(text, undefined, new TextEncoder().encode(payload))).headers, headers);
  const full = { ...fields, contentType: 'application/json', token: 'sts-token', language: 'en-US', signedHeaders: 'content-type;host;x-tc-token' };
  const signed = decode(glue.signRequest(encodeSignFields(full).text, payload, new Uint8Array(0))).headers;
  assert.equal(signed['X-TC-Token'], 'sts-token');
  assert.equal(signed['X-TC-Language'], 'en-US');
  assert.match(signed.Authorization, /SignedHeaders=content-type;host;x-tc-token,/);
});

test('a field that would break a line cannot cross; a repeated one is refused by the wasm', () => {
  assert.deepEqual(encodeSignFields({ ...fields, secretKey: 'a\nregion\nx' }), { lineBreak: 'secretKey' });
  const repeated = `${encodeSignFields(fields).text}host\nother.example\n`;
  const { error } = decode(glue.signRequest(repeated, payload, new Uint8Array(0)));
  assert.equal(error.code, 'invalid_request_parameters');
  assert.match(error.data.message, /line break/);
});

test('a send: begun, an answer asking for a retry, the retried request, a result', () => {
  const config = JSON.stringify(makeConfig('http://127.0.0.1:8080'));
  const { begun } = decode(glue.sendBegin(config, message, NOW));
  assert.ok(Number.isInteger(begun.send));
  assert.equal(begun.timeoutMs, 10_000);
  assert.equal(begun.url, 'http://127.0.0.1:8080/');
  // The body crosses as it is and is the JSON the signature covers.
  assert.deepEqual(JSON.parse(begun.body).PhoneNumberSet, ['+8613711112222']);
  assert.equal(begun.headers.Host, undefined);
  assert.match(begun.headers.Authorization, /^TC3-HMAC-SHA256 Credential=/);

  const expired = '{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"m"},"RequestId":"r"}}';
  const date = 'Tue, 14 Nov 2023 22:23:20 GMT'; // NOW + 10 minutes
  assert.deepEqual(decode(glue.sendAnswer(begun.send, 200, date, new TextEncoder().encode(expired), false, NOW)), { retryInMs: 0 });
  const { request } = decode(glue.sendRetry(begun.send, NOW));
  assert.equal(request.headers['X-TC-Timestamp'], '1700000600');
  assert.equal(request.body, begun.body);

  const { result } = decode(glue.sendAnswer(begun.send, 200, undefined, new TextEncoder().encode(OK_BODY), false, NOW));
  assert.equal(result.serialNo, 's-1');
  assert.equal(result.requestId, 'r-1');
  // The send is over: a late step is an error value with Logto's code and plain data.
  const { error } = decode(glue.sendRetry(begun.send, NOW));
  assert.equal(error.code, 'general');
  assert.match(error.data.message, /no longer known/);
});

test('a move to the fallback: the gateway\'s request with its own time bound, then its answer', () => {
  const fallback = { type: 'http', endpoint: 'https://sms-gateway.example.com/send?v=1', authorization: 'Bearer t' };
  const config = JSON.stringify(makeConfig('http://127.0.0.1:8080', { timeoutMs: 4_000, fallback, fallbackCooldownSeconds: 0 }));
  const { begun } = decode(glue.sendBegin(config, message, NOW));
  const moved = decode(glue.sendFailed(begun.send, 'network', 'ECONNREFUSED', 'connect', NOW));
  assert.deepEqual(moved, {
    fallback: {
      timeoutMs: 4_000,
      url: 'https://sms-gateway.example.com/send?v=1',
      body: JSON.stringify(JSON.parse(message)),
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
    },
  });
  const { result } = decode(glue.sendAnswer(begun.send, 202, undefined, new Uint8Array(0), false, NOW));
  assert.equal(result.route, 'fallback');
  assert.equal(result.status, 202);
  assert.equal(result.primaryError.data.delivery, 'not_sent');
});

test('errors and validations decode to plain values; an unknown tag is refused', () => {
  const config = JSON.stringify(makeConfig('http://127.0.0.1:8080'));
  const { begun } = decode(glue.sendBegin(config, message, NOW));
  const { error } = decode(glue.sendFailed(begun.send, 'timeout', undefined, undefined, NOW));
  assert.equal(error.data.delivery, 'unknown');
  const { validation } = decode(glue.validateConfig('{"accessKeyId":1}'));
  assert.equal(validation.valid, false);
  assert.deepEqual(validation.errors[0].path, ['accessKeyId']);
  assert.throws(() => decode('{"error":{}}'), TypeError);
});
