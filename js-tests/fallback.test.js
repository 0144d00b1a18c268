// `fallback` through real sockets: two fake Tencent accounts (tests/support/tencent-server.js run
// twice) and a fake gateway for @logto/connector-http-sms's payload. The fault matrix of
// tests/fallback.rs (every declared code, as a request error and a SendStatusSet entry, and the
// transport faults) is checked request for request against what each server received; a
// randomised run checks that no message reaches both accounts after an outcome that may have
// delivered it; and the console's Test, loaded by Logto's own loader, says which route sent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, afterEach, before, describe, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { sendMessage, validateConfig } from '../pkg/lib/index.js';

import { everythingPrinted, makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';
import { startHttpGateway } from '../tests/support/http-gateway.js';
import { connectorId, installLikeLogto, loadWithLogtoLoader } from '../tests/support/logto-host.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const matrix = JSON.parse(readFileSync(new URL('../tests/fixtures/fallback-matrix.json', import.meta.url), 'utf8'));
const judgements = JSON.parse(readFileSync(new URL('../tests/fixtures/tencent-code-judgements.json', import.meta.url), 'utf8'));

const secondId = 'AKIDsecondaccount0000000000000000000';
const secondKey = 'SecondSecretKey0123456789abcdefgh';
const gatewayToken = 'Bearer gateway-token-0123456789';
const mainland = '+8613711112222';
const message = (to = '8613711112222') => ({ to, type: 'SignIn', payload: { code: '123456', locale: 'en' }, ip: '203.0.113.7' });

let primary;
let second;
let gateway;

/** The fallback objects, as an operator writes them. */
const tencentFallback = () => ({ type: 'tencent', ...makeConfig(second.url), accessKeyId: secondId, accessKeySecret: secondKey });
const httpFallback = () => ({ type: 'http', endpoint: gateway.url, authorization: gatewayToken });
const configWith = (fallback, overrides = {}) => makeConfig(primary.url, { fallback, fallbackCooldownSeconds: 0, ...overrides });
const fallbackRequests = (kind) => (kind === 'tencent' ? second : gateway).requests.length;

/** The result, or the ConnectorError, after checking that no secret of either route leaked. */
const outcome = async (config, data = message()) => {
  try {
    return { result: await sendMessage(data, config) };
  } catch (error) {
    assert.ok(error instanceof ConnectorError, String(error?.stack ?? error));
    const printed = everythingPrinted(error);
    for (const secret of [secretKey, secondKey, gatewayToken, 'gateway-token-0123456789']) {
      assert.ok(!printed.includes(secret), `a secret leaked: ${printed}`);
    }
    return { error };
  }
};

const resetAll = () => {
  primary.reset();
  second.reset();
  gateway.reset();
};

before(async () => {
  primary = await startTencentServer({ credentials: { [secretId]: secretKey } });
  second = await startTencentServer({ credentials: { [secondId]: secondKey } });
  gateway = await startHttpGateway({ authorization: gatewayToken });
});
afterEach(resetAll);
after(async () => {
  await Promise.all([primary?.close(), second?.close(), gateway?.close()]);
});

describe('the fault matrix of tests/fallback.rs, against real servers', () => {
  const codes = Object.keys(judgements);
  test('it covers every declared code in both places', () => {
    for (const code of codes) {
      assert.ok(matrix[`${code} (Response.Error)`] && matrix[`${code} (SendStatusSet)`], code);
    }
  });
  for (const kind of ['tencent', 'http']) {
    test(`every Tencent code, as a request error and per number: requests to the primary and the ${kind} fallback`, async () => {
      for (const code of codes) {
        for (const [place, setup] of [['Response.Error', { requestCode: code }], ['SendStatusSet', { numberCodes: { [mainland]: code } }]]) {
          resetAll();
          primary.set(setup);
          const expected = matrix[`${code} (${place})`][kind];
          const { result, error } = await outcome(configWith(kind === 'tencent' ? tencentFallback() : httpFallback()));
          const seen = { primary: primary.requests.length, fallback: fallbackRequests(kind) };
          assert.deepEqual(seen, expected, `${code} (${place})`);
          // Sent by the fallback exactly when it was asked, and it says so.
          assert.equal(result?.route === 'fallback', expected.fallback === 1, `${code} (${place}): ${error?.data?.message}`);
          if (result) {
            assert.equal(result.primaryError.data.tencentCode, code);
            assert.equal(result.primaryError.data.route, 'primary');
          } else {
            assert.equal(error.data.route, 'primary');
            assert.equal(error.data.tencentCode, code);
          }
        }
      }
    });
  }

  /** Transport faults the servers can really produce, by the matrix's row name. */
  const closedPort = async () => {
    const probe = createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address();
    await new Promise((resolve) => probe.close(resolve));
    return port;
  };
  const faults = {
    'timeout after writing': { fault: 'hang' },
    'reset after writing': { fault: 'reset' },
    'HTTP 502': { fault: 'html502' },
    'redirect 307': { fault: 'redirect' },
  };
  for (const kind of ['tencent', 'http']) {
    for (const [row, setup] of Object.entries(faults)) {
      test(`${row}: no fallback request (${kind})`, async () => {
        primary.set(setup);
        const { error } = await outcome(configWith(kind === 'tencent' ? tencentFallback() : httpFallback(), { timeoutMs: 600 }));
        assert.equal(error.data.delivery, 'unknown');
        assert.deepEqual({ primary: primary.requests.length, fallback: fallbackRequests(kind) }, matrix[row][kind]);
      });
    }
    test(`connection refused: the ${kind} fallback sends (nothing reached the primary)`, async () => {
      const { result } = await outcome({ ...configWith(kind === 'tencent' ? tencentFallback() : httpFallback()), endpoint: `http://127.0.0.1:${await closedPort()}` });
      assert.equal(result.route, 'fallback');
      assert.equal(fallbackRequests(kind), matrix['connection refused'][kind].fallback);
      assert.equal(result.primaryError.data.delivery, 'not_sent');
      assert.match(result.primaryError.data.message, /ECONNREFUSED/);
    });
  }

  test('timeout before writing (a connect that never completes) and a request the host refuses to start', async () => {
    const realFetch = globalThis.fetch;
    const blackhole = await closedPort();
    const throwing = await closedPort();
    // The host's fetch for two ports that reach no server: one whose connect hangs until the
    // send's signal aborts it, one that throws before starting.
    globalThis.fetch = (url, init) => {
      const { port } = new URL(url);
      if (Number(port) === blackhole) {
        return new Promise((resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }));
      }
      if (Number(port) === throwing) {
        throw new TypeError('refused by this host');
      }
      return realFetch(url, init);
    };
    try {
      for (const kind of ['tencent', 'http']) {
        resetAll();
        const fallback = kind === 'tencent' ? tencentFallback() : httpFallback();
        const late = await outcome({ ...configWith(fallback), endpoint: `http://127.0.0.1:${blackhole}`, timeoutMs: 300 });
        assert.equal(late.error.data.delivery, 'unknown', 'the host cannot tell it was before writing');
        assert.equal(fallbackRequests(kind), matrix['timeout before writing'][kind].fallback);
        const refused = await outcome({ ...configWith(fallback), endpoint: `http://127.0.0.1:${throwing}` });
        assert.equal(refused.result.route, 'fallback');
        assert.equal(fallbackRequests(kind), matrix['request not started'][kind].fallback);
        assert.match(refused.result.primaryError.data.message, /refused by this host/);
      }
    } finally {
      globalThis.fetch = realFetch;
    }
  });
});

describe('the HTTP gateway', () => {
  test('gets exactly the POST @logto/connector-http-sms makes: { to, type, payload, ip }, JSON, Authorization', async () => {
    primary.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    const { result } = await outcome(configWith(httpFallback()));
    assert.equal(gateway.requests.length, 1);
    const [request] = gateway.requests;
    assert.equal(request.problem, null);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers.authorization, gatewayToken);
    assert.deepEqual(request.body, message());
    assert.deepEqual(Object.keys(request.body), ['to', 'type', 'payload', 'ip']);
    assert.deepEqual({ route: result.route, status: result.status, phoneNumber: result.phoneNumber }, { route: 'fallback', status: 200, phoneNumber: mainland });
    // Without an ip, the key is left out, as that connector leaves it out.
    gateway.reset();
    const { ip, ...withoutIp } = message();
    await outcome(configWith(httpFallback()), withoutIp);
    assert.deepEqual(Object.keys(gateway.requests[0].body), ['to', 'type', 'payload']);
  });

  for (const [what, setup] of [['HTTP 503', { fault: 'status', status: 503 }], ['HTTP 401', { fault: 'status', status: 401 }], ['a redirect', { fault: 'redirect' }], ['a reset', { fault: 'reset' }], ['no answer', { fault: 'hang' }]]) {
    test(`answering ${what}: one request, both outcomes, the primary's more useful code, no token echoed`, async () => {
      primary.set({ numberCodes: { [mainland]: 'FailedOperation.InsufficientBalanceInSmsPackage' } });
      gateway.set(setup);
      const { error } = await outcome(configWith(httpFallback(), { timeoutMs: 600 }));
      assert.equal(gateway.requests.length, 1);
      assert.equal(primary.requests.length, 1);
      assert.equal(error.code, 'usage_limit_exceeded');
      assert.equal(error.data.route, 'fallback');
      assert.equal(error.data.delivery, 'unknown');
      assert.equal(error.data.primaryError.data.tencentCode, 'FailedOperation.InsufficientBalanceInSmsPackage');
      assert.ok(error.data.primaryError.data.requestId);
      assert.match(error.data.message, /^Both routes failed/);
    });
  }
});

describe('both Tencent accounts refusing', () => {
  test('the error carries both codes and RequestIds, with the more useful Logto code', async () => {
    primary.set({ requestCode: 'UnauthorizedOperation.ServiceSuspendDueToArrears' });
    second.set({ numberCodes: { [mainland]: 'LimitExceeded.PhoneNumberDailyLimit' } });
    const { error } = await outcome(configWith(tencentFallback()));
    assert.equal(error.code, 'rate_limit_exceeded', 'the number\'s own limit is what the user can act on');
    assert.equal(error.data.tencentCode, 'LimitExceeded.PhoneNumberDailyLimit');
    assert.ok(error.data.requestId);
    assert.equal(error.data.primaryError.data.tencentCode, 'UnauthorizedOperation.ServiceSuspendDueToArrears');
    assert.equal(error.data.primaryError.code, 'usage_limit_exceeded');
    assert.notEqual(error.data.primaryError.data.requestId, error.data.requestId);
    assert.equal(second.requests[0].signatureValid, true, 'the second account signs with its own key');
  });
});

describe('fallbackCooldownSeconds', () => {
  test('after an account refusal the primary is skipped, then tried again; a connection failure starts no cooldown', async () => {
    // Its own primary key, so no other test's cooldown applies.
    const config = configWith(tencentFallback(), { fallbackCooldownSeconds: 1, sdkAppId: '1400009999' });
    primary.set({ requestCode: 'LimitExceeded.AppDailyLimit' });
    assert.equal((await outcome(config)).result.route, 'fallback');
    primary.reset();
    const skipped = await outcome(config);
    assert.equal(skipped.result.route, 'fallback');
    assert.equal(primary.requests.length, 0, 'skipped while cooling down');
    assert.match(skipped.result.primaryError.data.message, /not tried.*fallbackCooldownSeconds/);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const again = await outcome(config);
    assert.equal(again.result.route, 'primary');
    assert.equal(primary.requests.length, 1);
  });
});

describe('secrets of both routes', () => {
  test('the validator masks the fallback secret and the gateway authorization wherever it quotes input', () => {
    const config = configWith({ ...tencentFallback(), region: secondKey });
    const shown = JSON.stringify(validateConfig({ ...config, signname: secondKey, region: gatewayToken, fallback: { ...config.fallback, [secondKey]: 1 } }));
    assert.ok(!shown.includes(secondKey), shown);
    const gatewayShown = JSON.stringify(validateConfig({ ...configWith(httpFallback()), region: gatewayToken }));
    assert.ok(!gatewayShown.includes('gateway-token-0123456789'), gatewayShown);
  });
});

// tests/fallback.rs runs 10,000 over the state machine in seconds; over sockets they take about
// 35 s on 2 cores, so npm test runs 2,000 and FALLBACK_SENDS=10000 runs them all.
const randomSends = Number(process.env.FALLBACK_SENDS ?? 2_000);

describe(`a randomised run: ${randomSends} faulty sends over sockets`, () => {
  test('no message reaches the second account after the first may have delivered it', async () => {
    // Per-number answers, so sends can run concurrently: each number gets its own fate on each
    // account. Codes the table calls possible deliveries stand for answers that may have sent.
    // Retried codes (clock, API rate limit) wait between attempts; the matrix covers them.
    const codes = Object.keys(judgements).filter((code) => judgements[code].retry === null);
    let seed = 0x2545f491;
    const random = (n) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const fate = () => (random(3) === 0 ? 'Ok' : codes[random(codes.length)]);
    const mayHaveDelivered = (code) => code === 'Ok' || judgements[code].delivery === 'unknown';
    const config = configWith(tencentFallback());
    const total = randomSends;
    const batch = 500;
    let checked = 0;
    let failovers = 0;
    for (let start = 0; start < total; start += batch) {
      resetAll();
      const fates = new Map();
      const numberCodes = {};
      const secondCodes = {};
      for (let index = start; index < Math.min(total, start + batch); index += 1) {
        const number = `+86139${String(index).padStart(8, '0')}`;
        const [first, then] = [fate(), fate()];
        fates.set(number, first);
        if (first !== 'Ok') numberCodes[number] = first;
        if (then !== 'Ok') secondCodes[number] = then;
      }
      primary.set({ numberCodes });
      second.set({ numberCodes: secondCodes });
      await Promise.all([...fates.keys()].map((number) => outcome(config, message(number.slice(1)))));
      const reachedSecond = new Set(second.requests.map(({ body }) => body.PhoneNumberSet[0]));
      for (const [number, first] of fates) {
        if (mayHaveDelivered(first)) {
          assert.ok(!reachedSecond.has(number), `${number}: ${first} may have delivered, yet the fallback got it`);
        }
        checked += 1;
      }
      failovers += reachedSecond.size;
    }
    assert.equal(checked, total);
    assert.ok(failovers > total / 10, `the run failed over ${failovers} times`);
  });
});

describe("the console's Test, through Logto's loader", () => {
  let install;
  let loaded;
  before(async () => {
    install = installLikeLogto();
    loaded = await loadWithLogtoLoader(install.connectorsDir);
  });
  after(() => install?.cleanup());

  test('a test SMS the fallback sent is reported as a general line naming the route and why the primary refused', async () => {
    primary.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    const config = configWith(tencentFallback());
    const { rawConnector } = await loaded.buildRawConnector(loaded.factory, async () => config);
    await assert.rejects(rawConnector.sendMessage(message(), config), (error) => {
      assert.equal(error.code, 'general');
      assert.match(error.data.errorDescription, /^The test SMS was sent through the fallback route, not the primary/);
      assert.match(error.data.errorDescription, /FailedOperation\.InsufficientBalanceInSmsPackage/);
      assert.equal(error.data.route, 'fallback');
      return true;
    });
    assert.equal(second.requests.length, 1, 'the SMS was sent, once');
    // A real send (the saved config) resolves with the route; Logto ignores the value.
    const result = await rawConnector.sendMessage(message());
    assert.equal(result.route, 'fallback');
    assert.equal(loaded.factory.metadata.id, connectorId);
  });
});
