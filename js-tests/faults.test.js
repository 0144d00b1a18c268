// Every Tencent outcome and transport fault, through the local server: the right error, never a
// second SendSms for one call, no secret in anything printed, and the next send still works.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { sendMessage } from '../pkg/lib/index.js';

import { everythingPrinted, makeConfig, secretKey, startLocalTencent } from '../tests/support/fixtures.js';

let server;
let config;
const mainland = '+8613711112222';
const message = (to = '8613711112222') => ({ to, type: 'SignIn', payload: { code: '123456' } });

/** Runs one send expected to fail; checks it is a ConnectorError that leaks no secret. */
const failingSend = async (overrides = {}, data = message()) => {
  try {
    await sendMessage(data, { ...config, ...overrides });
  } catch (error) {
    assert.ok(error instanceof ConnectorError, `${error?.constructor?.name}: ${error?.message}`);
    assert.ok(!everythingPrinted(error).includes(secretKey), 'the secret key leaked into the error');
    return error;
  }
  assert.fail('expected the send to fail');
};

/** After any failure the same module keeps working. */
const assertNextSendSucceeds = async () => {
  server.reset();
  const result = await sendMessage(message(), config);
  assert.equal(result.phoneNumber, mainland);
};

before(async () => ({ server, config } = await startLocalTencent()));

afterEach(() => server.reset());
after(() => server?.close());

describe('no answer in time', () => {
  for (const fault of ['hang', 'trickle']) {
    test(`${fault}: times out at timeoutMs, says the SMS may have been sent, no retry`, async () => {
      server.set({ fault, trickleMs: 400 });
      const started = performance.now();
      const error = await failingSend({ timeoutMs: 600 });
      const elapsed = performance.now() - started;
      assert.equal(error.code, 'general');
      assert.match(error.data.message, /did not answer within 600 ms/);
      assert.match(error.data.message, /may or may not have been sent/);
      assert.equal(error.data.delivery, 'unknown');
      assert.ok(elapsed >= 550 && elapsed < 3_000, `took ${elapsed} ms`);
      assert.equal(server.requests.length, 1);
      await assertNextSendSucceeds();
    });
  }
});

describe('connection failures', () => {
  test('refused before the request is written: says it was not sent', async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const error = await failingSend({ endpoint: `http://127.0.0.1:${port}` });
    assert.equal(error.code, 'general');
    assert.equal(error.data.delivery, 'not_sent');
    assert.match(error.data.message, /ECONNREFUSED.*was not sent/);
    await assertNextSendSucceeds();
  });

  test('reset after the request was read: says the outcome is unknown, never resends', async () => {
    server.set({ fault: 'reset' });
    const error = await failingSend();
    assert.equal(error.code, 'general');
    assert.equal(error.data.delivery, 'unknown');
    assert.match(error.data.message, /may or may not have been sent/);
    assert.equal(server.requests.length, 1);
    await assertNextSendSucceeds();
  });
});

describe('process lifetime', () => {
  test('a send that fails before any request leaves no timer keeping Node alive', () => {
    const script = `
      const { sendMessage } = await import(${JSON.stringify(new URL('../pkg/lib/index.js', import.meta.url).href)});
      const config = ${JSON.stringify({ ...makeConfig('http://127.0.0.1:1'), accessKeyId: ' padded', timeoutMs: 30_000 })};
      await sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '1' } }, config).catch((error) => console.log(error.code));
    `;
    const started = performance.now();
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    // Its one event line, then the code.
    const [event, code, ...rest] = child.stdout.trim().split('\n');
    assert.equal(code, 'invalid_config', child.stderr);
    assert.deepEqual(rest, []);
    assert.equal(JSON.parse(event).outcome, 'failed');
    assert.ok(performance.now() - started < 10_000, 'the process waited for the 30 s timeout');
  });
});

describe('malformed answers → invalid_response with status and a short excerpt', () => {
  const cases = {
    html502: { status: 502, excerpt: /502 Bad Gateway/ },
    empty: { status: 200, excerpt: /^$/ },
    invalidJson: { status: 200, excerpt: /^\{"Response": \{/ },
    noResponse: { status: 200, excerpt: /Foo/ },
    emptyStatusSet: { status: 200, excerpt: /SendStatusSet/ },
    missingCode: { status: 200, excerpt: /SendStatusSet/ },
    oversized: { status: 200, excerpt: /Response/ },
  };
  for (const [fault, expected] of Object.entries(cases)) {
    test(fault, async () => {
      server.set({ fault });
      const error = await failingSend();
      assert.equal(error.code, 'invalid_response');
      assert.equal(error.data.status, expected.status);
      assert.match(error.data.bodyExcerpt, expected.excerpt);
      assert.ok(error.data.bodyExcerpt.length <= 200, `excerpt of ${error.data.bodyExcerpt.length}`);
      assert.equal(error.data.delivery, 'unknown');
      assert.equal(server.requests.length, 1, 'never resent');
      if (fault === 'oversized') {
        assert.match(error.data.message, /larger than 1 MiB/);
      }
      await assertNextSendSucceeds();
    });
  }
});

describe('a proxy echoing the secret', () => {
  test('no part of it reaches the excerpt, even where the 200-character cut splits it', async () => {
    // Stands in for a broken gateway that reflects request data into its error page.
    const echo = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(502).end(`${'x'.repeat(190)}${secretKey} and again ${secretKey}`));
    });
    await new Promise((resolve) => echo.listen(0, '127.0.0.1', resolve));
    try {
      const error = await failingSend({ endpoint: `http://127.0.0.1:${echo.address().port}` });
      assert.equal(error.code, 'invalid_response');
      assert.ok(!everythingPrinted(error).includes(secretKey.slice(0, 8)), error.data.bodyExcerpt);
      assert.match(error.data.bodyExcerpt, /\[redac/);
    } finally {
      echo.closeAllConnections();
      await new Promise((resolve) => echo.close(resolve));
    }
  });
});

describe('clock skew', () => {
  test("re-signs once with Tencent's clock, then keeps the offset for later sends", async () => {
    // A fresh endpoint spelling gives a fresh remembered offset for this test.
    const skewed = { ...config, endpoint: server.url.replace('127.0.0.1', 'localhost') };
    server.set({ skewMs: 9 * 60_000 });
    const result = await sendMessage(message(), skewed);
    assert.equal(result.phoneNumber, mainland);
    assert.deepEqual(server.requests.map(({ answeredCode }) => answeredCode), ['AuthFailure.SignatureExpire', null]);
    assert.ok(server.requests.every(({ signatureValid }) => signatureValid));
    const second = await sendMessage(message(), skewed);
    assert.equal(second.phoneNumber, mainland);
    assert.equal(server.requests.length, 3, 'the second send needed no correction');
  });

  test('a signature that keeps expiring fails after exactly one retry, naming the clock', async () => {
    server.set({ requestCode: 'AuthFailure.SignatureExpire' });
    const error = await failingSend();
    assert.equal(error.code, 'general');
    assert.equal(error.data.tencentCode, 'AuthFailure.SignatureExpire');
    assert.match(error.data.message, /clock/);
    assert.equal(server.requests.length, 2);
    await assertNextSendSucceeds();
  });
});

describe('rate limits', () => {
  test('RequestLimitExceeded is retried with backoff and then succeeds', async () => {
    server.set({ rateLimitFirst: 2 });
    const result = await sendMessage(message(), config);
    assert.equal(result.phoneNumber, mainland);
    const times = server.requests.map(({ at }) => at);
    assert.equal(times.length, 3);
    const [first, second] = [times[1] - times[0], times[2] - times[1]];
    assert.ok(second > first, `backoff grows: ${first} then ${second} ms`);
  });

  test('at most two retries, then rate_limit_exceeded', async () => {
    server.set({ rateLimitFirst: 10 });
    const error = await failingSend();
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.data.tencentCode, 'RequestLimitExceeded');
    assert.equal(server.requests.length, 3);
    await assertNextSendSucceeds();
  });

  test('no rate-limit retry when the timeout leaves no room for it', async () => {
    server.set({ rateLimitFirst: 10 });
    const error = await failingSend({ timeoutMs: 1_000 });
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(server.requests.length, 1);
  });
});

describe('every code family maps alike for request-level and per-number errors', () => {
  const families = [
    ['AuthFailure.SignatureFailure', 'invalid_config'],
    ['AuthFailure.SecretIdNotFound', 'invalid_config'],
    ['AuthFailure.InvalidSecretId', 'invalid_config'],
    ['AuthFailure.UnauthorizedOperation', 'invalid_config'],
    ['LimitExceeded.PhoneNumberThirtySecondLimit', 'rate_limit_exceeded'],
    ['LimitExceeded.PhoneNumberOneHourLimit', 'rate_limit_exceeded'],
    ['LimitExceeded.PhoneNumberDailyLimit', 'rate_limit_exceeded'],
    ['LimitExceeded.PhoneNumberSameContentDailyLimit', 'rate_limit_exceeded'],
    ['LimitExceeded.DeliveryFrequencyLimit', 'rate_limit_exceeded'],
    // Quota exhaustion: Logto's sign-in page answers it with the password page.
    ['LimitExceeded.AppDailyLimit', 'usage_limit_exceeded'],
    ['LimitExceeded.AppMainlandChinaDailyLimit', 'usage_limit_exceeded'],
    ['LimitExceeded.AppGlobalDailyLimit', 'usage_limit_exceeded'],
    ['LimitExceeded.DailyLimit', 'usage_limit_exceeded'],
    ['FailedOperation.InsufficientBalanceInSmsPackage', 'usage_limit_exceeded'],
    ['UnauthorizedOperation.ServiceSuspendDueToArrears', 'usage_limit_exceeded'],
    ['FailedOperation.SignatureIncorrectOrUnapproved', 'invalid_config'],
    ['FailedOperation.TemplateIncorrectOrUnapproved', 'invalid_config'],
    ['FailedOperation.TemplateUnapprovedOrNotExist', 'invalid_config'],
    ['FailedOperation.TemplateParamSetNotMatchApprovedTemplate', 'invalid_config'],
    ['InvalidParameterValue.TemplateParameterFormatError', 'invalid_config'],
    ['InvalidParameterValue.SdkAppIdNotExist', 'invalid_config'],
    ['UnauthorizedOperation.SmsSdkAppIdVerifyFail', 'invalid_config'],
    ['UnauthorizedOperation.SdkAppIdIsDisabled', 'invalid_config'],
    ['InvalidParameterValue.IncorrectPhoneNumber', 'invalid_request_parameters'],
    ['FailedOperation.PhoneNumberInBlacklist', 'invalid_request_parameters'],
    ['UnsupportedOperation.UnsupportedRegion', 'invalid_request_parameters'],
    ['UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone', 'invalid_request_parameters'],
    ['UnsupportedOperation.GlobalTemplateToChineseMainlandPhone', 'invalid_request_parameters'],
    ['InternalError', 'general'],
    ['InternalError.Timeout', 'general'],
    ['ServiceUnavailable', 'general'],
    ['SomethingNew.NeverSeenBefore', 'general'],
  ];
  for (const [tencentCode, logtoCode] of families) {
    test(`${tencentCode} → ${logtoCode}`, async () => {
      for (const setup of [{ requestCode: tencentCode }, { numberCodes: { [mainland]: tencentCode } }]) {
        server.reset();
        server.set(setup);
        const error = await failingSend();
        assert.equal(error.code, logtoCode, JSON.stringify(setup));
        assert.equal(error.data.tencentCode, tencentCode);
        assert.ok(error.data.requestId);
        assert.equal(server.requests.length, 1, 'not retried');
      }
    });
  }

  test('internal errors tell the operator the SMS may have gone out', async () => {
    server.set({ requestCode: 'InternalError' });
    const error = await failingSend();
    assert.equal(error.data.delivery, 'unknown');
    assert.match(error.data.message, /may or may not have been sent/);
  });
});

describe('load', () => {
  test('500 concurrent sends: one request per number, each result to its own call', async () => {
    const numbers = Array.from({ length: 500 }, (_, index) => `86139${String(index).padStart(8, '0')}`);
    const results = await Promise.all(numbers.map((to) => sendMessage(message(to), config)));
    results.forEach((result, index) => assert.equal(result.phoneNumber, `+${numbers[index]}`));
    const sent = server.requests.map(({ body }) => body.PhoneNumberSet[0]).sort();
    assert.deepEqual(sent, numbers.map((to) => `+${to}`).sort());
    assert.ok(server.requests.every(({ signatureValid }) => signatureValid));
  });
});
