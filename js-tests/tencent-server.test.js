import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { authorizationFor, canonicalRequestFor, sha256Hex, signTc3 } from '../tests/support/tc3-node.mjs';
import { startTencentServer, tc3Signature } from '../tests/support/tencent-server.js';

const SECRET_ID = 'AKIDtestfake0001';
const SECRET_KEY = 'fakeSecretKeyForTests0000000001';
const SDK_APP_ID = '1400000001';
const MAINLAND_TEMPLATE = '100001';
const GLOBAL_TEMPLATE = '200001';

const vectorsUrl = new URL('../tests/fixtures/tc3-published-vectors.json', import.meta.url);

// The client signs with tests/support/tc3-node.mjs, written apart from the server's check, so the
// two check each other.
const sha256 = sha256Hex;

/** Signed SendSms headers for `payload` (a string), sent to `host`. */
function signedHeadersFor({
  host,
  payload,
  timestamp = Math.floor(Date.now() / 1000),
  secretId = SECRET_ID,
  secretKey = SECRET_KEY,
  contentType = 'application/json; charset=utf-8',
  signedHeaders = 'content-type;host',
}) {
  const { headers } = signTc3({
    secretId,
    secretKey,
    service: 'sms',
    host,
    action: 'SendSms',
    version: '2021-01-11',
    region: 'ap-guangzhou',
    timestamp,
    payload,
    contentType,
    signedHeaders,
  });
  // fetch sets Host from the URL.
  delete headers.Host;
  return headers;
}

function smsBody(overrides = {}) {
  return {
    SmsSdkAppId: SDK_APP_ID,
    SignName: 'MySign',
    TemplateId: MAINLAND_TEMPLATE,
    TemplateParamSet: ['123456'],
    PhoneNumberSet: ['+8613711112222'],
    ...overrides,
  };
}

/**
 * Signs and sends `body` (or the raw string `payload`); `sentPayload` replaces the bytes on the wire
 * after signing (tampering).
 */
async function sendSms(server, { body = smsBody(), payload = JSON.stringify(body), sign = {}, headers = {}, sentPayload, signal } = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { ...signedHeadersFor({ host: server.host, payload, ...sign }), ...headers },
    body: sentPayload ?? payload,
    signal: signal ?? AbortSignal.timeout(3000),
  });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, json };
}

const errorCodeOf = (result) => result.json?.Response?.Error?.Code;
const codesOf = (result) => result.json.Response.SendStatusSet.map((entry) => entry.Code);

test('tc3Signature reproduces every published vector', async () => {
  const { vectors } = JSON.parse(await readFile(vectorsUrl, 'utf8'));
  let checked = 0;
  for (const { id, inputs, expected } of vectors) {
    const signature = expected.signature ?? /Signature=([0-9a-f]+)/.exec(expected.authorization ?? '')?.[1];
    if (!signature) continue;
    const canonicalRequest = canonicalRequestFor({
      method: inputs.method,
      contentType: inputs.content_type,
      host: inputs.host,
      action: inputs.action,
      signedHeaders: inputs.signed_headers,
      payload: inputs.payload,
    });
    if (expected.canonical_request) assert.equal(canonicalRequest, expected.canonical_request, id);
    if (expected.hashed_canonical_request) assert.equal(sha256(canonicalRequest), expected.hashed_canonical_request, id);
    const actual = tc3Signature({
      secretKey: inputs.secret_key,
      service: inputs.service,
      timestamp: inputs.timestamp,
      canonicalRequest,
    });
    assert.equal(actual, signature, id);
    if (expected.authorization) {
      const authorization = authorizationFor({
        secretId: inputs.secret_id,
        secretKey: inputs.secret_key,
        service: inputs.service,
        timestamp: inputs.timestamp,
        canonicalRequest,
        signedHeaders: inputs.signed_headers,
      });
      assert.equal(authorization, expected.authorization, id);
    }
    checked += 1;
  }
  assert.ok(checked >= 5, `only ${checked} vectors checked`);
});

describe('fake Tencent SMS server', () => {
  let server;
  before(async () => {
    server = await startTencentServer({ credentials: { [SECRET_ID]: SECRET_KEY } });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('a correctly signed SendSms succeeds per number with the right IsoCode', async () => {
    const mainland = await sendSms(server);
    assert.deepEqual(mainland.json.Response.SendStatusSet.map((entry) => entry.IsoCode), ['CN']);
    server.reset();
    // International numbers only: Tencent refuses a request that mixes them with mainland ones.
    const numbers = ['+14155550123', '+447700900123', '+6581234567', '+85291234567', '+33612345678', '+88212345678'];
    const result = await sendSms(server, { body: smsBody({ PhoneNumberSet: numbers, SessionContext: 'ctx' }) });
    assert.equal(result.status, 200);
    assert.ok(result.headers.get('date'));
    const entries = result.json.Response.SendStatusSet;
    assert.deepEqual(entries.map((entry) => entry.PhoneNumber), numbers);
    assert.deepEqual(entries.map((entry) => entry.IsoCode), ['US', 'GB', 'SG', 'HK', 'FR', 'DEF']);
    for (const entry of entries) {
      assert.equal(entry.Code, 'Ok');
      assert.equal(entry.Message, 'send success');
      assert.equal(entry.Fee, 1);
      assert.equal(entry.SessionContext, 'ctx');
      assert.ok(entry.SerialNo.length > 0);
    }
    assert.match(result.json.Response.RequestId, /^[0-9a-f-]{36}$/);
    const [record] = server.requests;
    assert.equal(record.method, 'POST');
    assert.equal(record.signatureValid, true);
    assert.equal(record.answeredCode, null);
    assert.equal(record.headers['x-tc-action'], 'SendSms');
    assert.equal(record.rawBody.toString(), JSON.stringify(smsBody({ PhoneNumberSet: numbers, SessionContext: 'ctx' })));
    assert.deepEqual(record.body.PhoneNumberSet, numbers);
  });

  test('accepts x-tc-action in SignedHeaders and a bare application/json content type', async () => {
    const result = await sendSms(server, {
      sign: { signedHeaders: 'content-type;host;x-tc-action', contentType: 'application/json' },
    });
    assert.deepEqual(codesOf(result), ['Ok']);
  });

  test('numbers without + are read as mainland Chinese, 0086 included', async () => {
    const numbers = ['8613711112222', '14155550123', '008613711113333', '13711114444', '12ab'];
    const result = await sendSms(server, { body: smsBody({ PhoneNumberSet: numbers }) });
    const entries = result.json.Response.SendStatusSet;
    assert.deepEqual(entries.map((entry) => entry.PhoneNumber), ['+8613711112222', '+8614155550123', '+8613711113333', '+8613711114444', '+8612ab']);
    // A failed entry has no IsoCode, as Tencent's.
    assert.deepEqual(entries.map((entry) => entry.IsoCode), ['CN', 'CN', 'CN', 'CN', '']);
    assert.deepEqual(codesOf(result), ['Ok', 'Ok', 'Ok', 'Ok', 'InvalidParameterValue.IncorrectPhoneNumber']);
    assert.equal(entries[4].Fee, 0);
    assert.equal(entries[4].SerialNo, '');
  });

  test('as strict as Tencent: unknown parameters, mixed numbers, regions, SessionContext, SignName', async () => {
    const unknown = await sendSms(server, { body: smsBody({ Extra: '1' }) });
    assert.equal(errorCodeOf(unknown), 'UnknownParameter');
    assert.match(unknown.json.Response.Error.Message, /Extra/);
    // International is a SendSms 2019-07-11 parameter, not 2021-01-11.
    assert.equal(errorCodeOf(await sendSms(server, { body: smsBody({ International: 0 }) })), 'UnknownParameter');
    const mixed = await sendSms(server, { body: smsBody({ PhoneNumberSet: ['+8613711112222', '+14155550123'] }) });
    assert.equal(errorCodeOf(mixed), 'UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber');
    for (const region of ['ap-mars', 'ap-shanghai']) {
      assert.equal(errorCodeOf(await sendSms(server, { headers: { 'X-TC-Region': region } })), 'UnsupportedRegion', region);
    }
    for (const region of ['ap-beijing', 'ap-nanjing', 'ap-singapore']) {
      assert.deepEqual(codesOf(await sendSms(server, { headers: { 'X-TC-Region': region } })), ['Ok'], region);
    }
    assert.deepEqual(codesOf(await sendSms(server, { body: smsBody({ SessionContext: 'x'.repeat(511) }) })), ['Ok']);
    const longContext = await sendSms(server, { body: smsBody({ SessionContext: '语'.repeat(171) }) });
    assert.equal(errorCodeOf(longContext), 'InvalidParameterValue', '513 bytes');
    for (const SignName of [undefined, '']) {
      const unsigned = await sendSms(server, { body: smsBody({ SignName }) });
      assert.deepEqual(codesOf(unsigned), ['FailedOperation.SignatureIncorrectOrUnapproved']);
      const international = await sendSms(server, { body: smsBody({ SignName, PhoneNumberSet: ['+14155550123'] }) });
      assert.deepEqual(codesOf(international), ['Ok']);
    }
  });

  test('a body changed after signing fails with SignatureFailure', async () => {
    const tampered = JSON.stringify(smsBody({ PhoneNumberSet: ['+8613900000000'] }));
    const result = await sendSms(server, { sentPayload: tampered });
    assert.equal(result.status, 200);
    assert.equal(errorCodeOf(result), 'AuthFailure.SignatureFailure');
    assert.equal(server.requests[0].signatureValid, false);
    assert.equal(server.requests[0].answeredCode, 'AuthFailure.SignatureFailure');
  });

  test('wrong key, unknown id and wrong credential date are rejected', async () => {
    assert.equal(errorCodeOf(await sendSms(server, { sign: { secretKey: 'wrong' } })), 'AuthFailure.SignatureFailure');
    assert.equal(errorCodeOf(await sendSms(server, { sign: { secretId: 'AKIDnope' } })), 'AuthFailure.SecretIdNotFound');
    assert.equal(server.requests[1].signatureValid, null);
    // Signed for yesterday's date while claiming today's timestamp.
    const now = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify(smsBody());
    const signed = signedHeadersFor({ host: server.host, payload, timestamp: now - 86400 });
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { ...signed, 'X-TC-Timestamp': String(now) },
      body: payload,
    });
    assert.equal(errorCodeOf({ json: await response.json() }), 'AuthFailure.SignatureFailure');
  });

  test('a stale timestamp gets SignatureExpire with a Date header', async () => {
    const result = await sendSms(server, { sign: { timestamp: Math.floor(Date.now() / 1000) - 600 } });
    assert.equal(errorCodeOf(result), 'AuthFailure.SignatureExpire');
    const serverDate = Date.parse(result.headers.get('date'));
    assert.ok(Math.abs(serverDate - Date.now()) < 5000);
    assert.equal(server.requests[0].signatureValid, true);
  });

  test('skewMs moves the server clock; signing with its Date header time succeeds', async () => {
    server.set({ skewMs: 3600_000 });
    const first = await sendSms(server);
    assert.equal(errorCodeOf(first), 'AuthFailure.SignatureExpire');
    const serverSeconds = Math.floor(Date.parse(first.headers.get('date')) / 1000);
    assert.ok(serverSeconds - Date.now() / 1000 > 3500);
    const retry = await sendSms(server, { sign: { timestamp: serverSeconds } });
    assert.deepEqual(codesOf(retry), ['Ok']);
  });

  test('numberCodes, requestCode and rateLimitFirst inject errors', async () => {
    server.set({ numberCodes: { '+8613711112222': 'LimitExceeded.PhoneNumberDailyLimit' } });
    const perNumber = await sendSms(server, { body: smsBody({ PhoneNumberSet: ['+8613711112222', '+8613711113333'] }) });
    assert.deepEqual(codesOf(perNumber), ['LimitExceeded.PhoneNumberDailyLimit', 'Ok']);
    assert.equal(perNumber.json.Response.SendStatusSet[0].Fee, 0);

    server.reset();
    server.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    assert.equal(errorCodeOf(await sendSms(server)), 'FailedOperation.InsufficientBalanceInSmsPackage');
    assert.equal(errorCodeOf(await sendSms(server)), 'FailedOperation.InsufficientBalanceInSmsPackage');

    server.reset();
    server.set({ rateLimitFirst: 2 });
    assert.equal(errorCodeOf(await sendSms(server)), 'RequestLimitExceeded');
    assert.equal(errorCodeOf(await sendSms(server)), 'RequestLimitExceeded');
    assert.deepEqual(codesOf(await sendSms(server)), ['Ok']);
    assert.deepEqual(server.requests.map((record) => record.answeredCode), ['RequestLimitExceeded', 'RequestLimitExceeded', null]);
  });

  test('type errors and bad headers get Tencent request-level codes', async () => {
    const numeric = await sendSms(server, { body: smsBody({ SmsSdkAppId: 1400000001 }) });
    assert.equal(errorCodeOf(numeric), 'InvalidParameter');
    assert.match(numeric.json.Response.Error.Message, /SmsSdkAppId/);
    assert.equal(errorCodeOf(await sendSms(server, { body: smsBody({ PhoneNumberSet: '+8613711112222' }) })), 'InvalidParameter');
    assert.equal(errorCodeOf(await sendSms(server, { body: smsBody({ TemplateParamSet: [123456] }) })), 'InvalidParameter');
    assert.equal(errorCodeOf(await sendSms(server, { body: smsBody({ PhoneNumberSet: [] }) })), 'MissingParameter.EmptyPhoneNumberSet');
    assert.equal(errorCodeOf(await sendSms(server, { headers: { 'X-TC-Action': 'SendSmsX' } })), 'InvalidAction');
    assert.equal(errorCodeOf(await sendSms(server, { headers: { 'X-TC-Region': '' } })), 'MissingParameter');
    assert.equal(errorCodeOf(await sendSms(server, { headers: { 'X-TC-Timestamp': 'soon' } })), 'InvalidParameter');
    assert.equal(errorCodeOf(await sendSms(server, { headers: { 'X-TC-Version': '2019-07-11' } })), 'NoSuchVersion');
    assert.equal(errorCodeOf(await sendSms(server, { headers: { 'Content-Type': 'text/plain' } })), 'InvalidParameter');
    const get = await fetch(server.url);
    assert.equal((await get.json()).Response.Error.Code, 'UnsupportedProtocol');
  });

  test('a body over 1 MiB gets RequestSizeLimitExceeded', async () => {
    const result = await sendSms(server, { body: smsBody({ SessionContext: 'x'.repeat(1024 * 1024 + 10) }) });
    assert.equal(errorCodeOf(result), 'RequestSizeLimitExceeded');
  });

  test('garbage on the socket does not take the server down', async () => {
    await new Promise((resolve) => {
      const socket = connect(server.url.split(':')[2], '127.0.0.1', () => socket.end('\x00\x01 not http\r\n\r\n'));
      socket.on('error', resolve);
      socket.on('close', resolve);
      socket.resume();
    });
    for (const payload of ['{"PhoneNumberSet": [', 'null', '[1,2]', '\u0000\uffff']) {
      assert.equal(errorCodeOf(await sendSms(server, { payload })), 'InvalidParameter', payload);
    }
    assert.ok(server.requests.every((record) => record.signatureValid === true));
    const prototypeKeys = await sendSms(server, { body: smsBody({ PhoneNumberSet: ['constructor', '__proto__'] }) });
    assert.deepEqual(codesOf(prototypeKeys), Array(2).fill('InvalidParameterValue.IncorrectPhoneNumber'));
    assert.equal(errorCodeOf(await sendSms(server, { sign: { secretId: 'constructor' } })), 'AuthFailure.SecretIdNotFound');
    assert.deepEqual(codesOf(await sendSms(server)), ['Ok']);
  });

  test('delayMs answers normally after the delay', async () => {
    server.set({ delayMs: 300 });
    const started = Date.now();
    assert.deepEqual(codesOf(await sendSms(server)), ['Ok']);
    assert.ok(Date.now() - started >= 290);
  });

  test('hold keeps every answer until release()', async () => {
    server.set({ hold: true });
    let answered = false;
    const pending = sendSms(server).then((answer) => {
      answered = true;
      return answer;
    });
    const deadline = Date.now() + 5_000;
    while (server.requests.length < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false);
    server.release();
    assert.deepEqual(codesOf(await pending), ['Ok']);
    server.reset();
  });

  test('reset() clears requests and modes', async () => {
    server.set({ requestCode: 'InternalError', fault: 'empty' });
    await sendSms(server);
    server.reset();
    assert.equal(server.requests.length, 0);
    assert.deepEqual(codesOf(await sendSms(server)), ['Ok']);
  });

  test('set() rejects unknown modes and faults', () => {
    assert.throws(() => server.set({ rateLimit: 1 }), TypeError);
    assert.throws(() => server.set({ fault: 'explode' }), TypeError);
  });

  describe('fault modes', () => {
    test('hang: never answers; the request is still recorded', async () => {
      server.set({ fault: 'hang' });
      await assert.rejects(sendSms(server, { signal: AbortSignal.timeout(500) }), { name: 'TimeoutError' });
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0].signatureValid, true);
      assert.equal(server.requests[0].fault, 'hang');
    });

    test('trickle: headers come at once, the body byte by byte', async () => {
      server.set({ fault: 'trickle', trickleMs: 200 });
      const payload = JSON.stringify(smsBody());
      const response = await fetch(server.url, {
        method: 'POST',
        headers: signedHeadersFor({ host: server.host, payload }),
        body: payload,
        signal: AbortSignal.timeout(800),
      });
      assert.equal(response.status, 200);
      assert.ok(response.headers.get('date'));
      await assert.rejects(response.text(), { name: 'TimeoutError' });

      server.set({ trickleMs: 1 });
      const complete = await sendSms(server, { signal: AbortSignal.timeout(5000) });
      assert.deepEqual(codesOf(complete), ['Ok']);
    });

    test('html502: an nginx error page', async () => {
      server.set({ fault: 'html502' });
      const result = await sendSms(server);
      assert.equal(result.status, 502);
      assert.match(result.headers.get('content-type'), /text\/html/);
      assert.ok(result.headers.get('date'));
      assert.match(result.text, /502 Bad Gateway/);
    });

    test('reset: the connection is dropped after the request', async () => {
      server.set({ fault: 'reset' });
      await assert.rejects(sendSms(server), TypeError);
      assert.equal(server.requests[0].signatureValid, true);
    });

    test('invalidJson, empty and noResponse: 200 without a usable Response', async () => {
      server.set({ fault: 'invalidJson' });
      const invalid = await sendSms(server);
      assert.equal(invalid.status, 200);
      assert.equal(invalid.text, '{"Response": {');
      assert.equal(invalid.json, null);

      server.set({ fault: 'empty' });
      const empty = await sendSms(server);
      assert.equal(empty.status, 200);
      assert.equal(empty.text, '');

      server.set({ fault: 'noResponse' });
      assert.deepEqual((await sendSms(server)).json, { Foo: 1 });
    });

    test('emptyStatusSet and missingCode: malformed SendStatusSet', async () => {
      server.set({ fault: 'emptyStatusSet' });
      const emptySet = await sendSms(server);
      assert.deepEqual(emptySet.json.Response.SendStatusSet, []);
      assert.ok(emptySet.json.Response.RequestId);

      server.set({ fault: 'missingCode' });
      const missing = await sendSms(server);
      const [entry] = missing.json.Response.SendStatusSet;
      assert.equal('Code' in entry, false);
      assert.equal(entry.PhoneNumber, '+8613711112222');
    });

    test('oversized: a valid 2 MiB JSON body', async () => {
      server.set({ fault: 'oversized' });
      const result = await sendSms(server);
      assert.equal(result.status, 200);
      assert.equal(Buffer.byteLength(result.text), 2 * 1024 * 1024);
      assert.ok(result.json.Response.RequestId);
    });
  });
});

describe('fake server with templates, sign names and app ids', () => {
  let server;
  before(async () => {
    server = await startTencentServer({
      credentials: { [SECRET_ID]: SECRET_KEY },
      sdkAppIds: [SDK_APP_ID],
      templates: {
        [MAINLAND_TEMPLATE]: { international: false, params: 1 },
        [GLOBAL_TEMPLATE]: { international: true, params: 1 },
      },
      signNames: ['MySign'],
    });
  });
  after(() => server.close());

  test('templates are bound to their region', async () => {
    const send = (TemplateId, number) => sendSms(server, { body: smsBody({ TemplateId, PhoneNumberSet: [number] }) });
    assert.deepEqual(codesOf(await send(MAINLAND_TEMPLATE, '+8613711112222')), ['Ok']);
    assert.deepEqual(codesOf(await send(MAINLAND_TEMPLATE, '+14155550123')), ['UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone']);
    assert.deepEqual(codesOf(await send(GLOBAL_TEMPLATE, '+14155550123')), ['Ok']);
    assert.deepEqual(codesOf(await send(GLOBAL_TEMPLATE, '+8613711112222')), ['UnsupportedOperation.GlobalTemplateToChineseMainlandPhone']);

    // The official connector's missing '+': a US number becomes a mainland one.
    const misrouted = await sendSms(server, { body: smsBody({ TemplateId: GLOBAL_TEMPLATE, PhoneNumberSet: ['14155550123'] }) });
    assert.deepEqual(codesOf(misrouted), ['UnsupportedOperation.GlobalTemplateToChineseMainlandPhone']);
  });

  test('unknown template, parameter count, sign name and app id are checked', async () => {
    const unknown = await sendSms(server, { body: smsBody({ TemplateId: '999999' }) });
    assert.deepEqual(codesOf(unknown), ['FailedOperation.TemplateUnapprovedOrNotExist']);
    const params = await sendSms(server, { body: smsBody({ TemplateParamSet: [] }) });
    assert.deepEqual(codesOf(params), ['FailedOperation.TemplateParamSetNotMatchApprovedTemplate']);
    const sign = await sendSms(server, { body: smsBody({ SignName: 'OtherSign' }) });
    assert.deepEqual(codesOf(sign), ['FailedOperation.SignatureIncorrectOrUnapproved']);
    // SignName is only required for mainland numbers.
    const globalNoSign = await sendSms(server, {
      body: smsBody({ TemplateId: GLOBAL_TEMPLATE, SignName: undefined, PhoneNumberSet: ['+447700900123'] }),
    });
    assert.deepEqual(codesOf(globalNoSign), ['Ok']);
    const app = await sendSms(server, { body: smsBody({ SmsSdkAppId: '1400999999' }) });
    assert.equal(errorCodeOf(app), 'InvalidParameterValue.SdkAppIdNotExist');
  });
});

test('close() finishes promptly with a hanging request open', async () => {
  const server = await startTencentServer({ credentials: { [SECRET_ID]: SECRET_KEY } });
  server.set({ fault: 'hang' });
  const pending = sendSms(server, { signal: AbortSignal.timeout(10_000) }).catch((error) => error);
  while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const started = Date.now();
  await server.close();
  assert.ok(Date.now() - started < 1000, 'close() took too long');
  assert.ok((await pending) instanceof Error);
});
