// sendLimits and trustedIps end to end against the local Tencent server, counted in this process
// (no REDIS_URL): a refused send never becomes a request, pumping one range from one address
// stops at the limit while real users are never refused, and what Logto and the console's Test
// show when ip rules cannot apply. The shared-Redis side is js-tests/redis.test.js.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import createConnector, { metadata, sendMessage, validateConfig } from '../pkg/lib/index.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';
import { decode } from '../pkg/lib/wire.js';

import { makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

let server;
// Counters are per account (sdkAppId) and live as long as this process: each test takes its own.
let nextApp = 1_400_100_000;
const account = (overrides) => makeConfig(server.url, { sdkAppId: String(nextApp++), ...overrides });
const threeRules = [
  { by: 'ip', max: 5, perSeconds: 3600 },
  { by: 'prefix', max: 20, perSeconds: 3600 },
  { by: 'country', max: 1000, perSeconds: 86400 },
];
const code = (to, ip) => ({ to, type: 'SignIn', payload: { code: '123456' }, ...(ip === undefined ? {} : { ip }) });
const settle = (promise) => promise.then((result) => ({ result }), (error) => ({ error }));

before(async () => {
  server = await startTencentServer({ credentials: { [secretId]: secretKey } });
});
afterEach(() => server.reset());
after(() => server?.close());

test('pumping: one address asking for 500 numbers of one range gets at most max sent', async () => {
  const config = account({ sendLimits: threeRules });
  const outcomes = [];
  for (let n = 0; n < 500; n += 1) {
    outcomes.push(await settle(sendMessage(code(`86137111${String(n).padStart(5, '0')}`, '203.0.113.66'), config)));
  }
  const sent = outcomes.filter(({ result }) => result);
  assert.equal(sent.length, 5, 'the ip rule: 5 per hour');
  assert.equal(server.requests.length, 5, 'no refused send reached Tencent');
  for (const { error } of outcomes.filter(({ error }) => error)) {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.data.delivery, 'not_sent');
    assert.match(error.data.message, /^sendLimits\[0\] \(ip, 5 per 3600 s\) refused this send \(203\.0\.113\.66\): no SMS was sent\./);
  }
});

test('pumping from many addresses: the prefix rule stops the range, and users elsewhere go on', async () => {
  const config = account({ sendLimits: threeRules });
  const pumped = [];
  for (let n = 0; n < 500; n += 1) {
    // A new address every time (a botnet): only the number range gives it away.
    pumped.push(await settle(sendMessage(code(`8613711${String(n).padStart(6, '0')}`, `198.18.${n >> 8}.${n & 255}`), config)));
  }
  // 8613711000000…8613711000499 are one range of 10,000 numbers: +861371100….
  const sent = pumped.filter(({ result }) => result).length;
  assert.equal(sent, 20, 'the prefix rule: 20 per hour');
  const refusal = pumped.find(({ error }) => error).error;
  assert.match(refusal.data.message, /^sendLimits\[1\] \(prefix, 20 per 3600 s\) refused this send \(\+861371100…\)/);
  assert.ok(!JSON.stringify(refusal.data).includes('8613711000'), 'never the whole number');
  assert.equal(server.requests.length, sent);
});

test('500 users from 500 addresses, one code each, are never refused', async () => {
  const config = account({ sendLimits: threeRules });
  let next = 0;
  const outcomes = [];
  const worker = async () => {
    while (next < 500) {
      const n = next++;
      const ip = n % 2 ? `2001:db8:${n.toString(16)}::${n}` : `198.51.${n >> 8}.${n & 255}`;
      outcomes.push(await settle(sendMessage(code(`86138${String(n * 7919).padStart(8, '0')}`, ip), config)));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  assert.deepEqual(outcomes.filter(({ error }) => error).map(({ error }) => error.data.message).slice(0, 3), []);
  assert.equal(server.requests.length, 500);
});

test('an IPv6 client counts by its /64, whatever address in it it picks', async () => {
  const config = account({ sendLimits: [{ by: 'ip', max: 3, perSeconds: 60 }] });
  const outcomes = [];
  for (let n = 1; n <= 6; n += 1) {
    outcomes.push(await settle(sendMessage(code(`8613911${String(n).padStart(6, '0')}`, `2001:db8:aa:bb:${n}::${n}`), config)));
  }
  assert.deepEqual(outcomes.map(({ result }) => Boolean(result)), [true, true, true, false, false, false]);
  assert.match(outcomes[3].error.data.message, /\(2001:db8:aa:bb::\/64\)/);
  const other = await sendMessage(code('8613911000009', '2001:db8:aa:bc::1'), config);
  assert.ok(other.requestId, 'the next /64 is another client');
});

test('without a usable client address ip rules are skipped, the other rules still count, and the result says why', async () => {
  const config = account({ sendLimits: [{ by: 'ip', max: 1, perSeconds: 60 }, { by: 'prefix', max: 3, perSeconds: 60 }] });
  for (const [ip, shown] of [
    [undefined, 'no client address'],
    ['127.0.0.1', '127.0.0.1, a loopback address'],
    ['::ffff:10.0.0.7', '10.0.0.7, a private address'],
  ]) {
    const result = await sendMessage(code('8613611110001', ip), config);
    assert.ok(result.sendLimitsNote.includes(shown), result.sendLimitsNote);
    assert.match(result.sendLimitsNote, /TRUST_PROXY_HEADER=1/);
  }
  const fourth = await settle(sendMessage(code('8613611110002', '10.0.0.7'), config));
  assert.match(fourth.error?.data.message ?? '', /^sendLimits\[1\] \(prefix, 3 per 60 s\)/, 'the prefix rule still applies');
  assert.equal(server.requests.length, 3);
});

test('trustedIps skip ip rules without a note; other addresses are still limited', async () => {
  const config = account({
    sendLimits: [{ by: 'ip', max: 1, perSeconds: 60 }],
    trustedIps: ['203.0.113.0/24', '2001:db8:1::/48'],
  });
  for (const ip of ['203.0.113.5', '203.0.113.5', '2001:db8:1:2::9', '2001:db8:1:3::9']) {
    const result = await sendMessage(code('8613511110001', ip), config);
    assert.equal(result.sendLimitsNote, undefined);
  }
  await sendMessage(code('8613511110001', '198.51.100.1'), config);
  const refused = await settle(sendMessage(code('8613511110001', '198.51.100.1'), config));
  assert.equal(refused.error?.code, 'rate_limit_exceeded');
  assert.equal(server.requests.length, 5);
});

test('a config without sendLimits begins its send at once: no counting step, no note', () => {
  const config = JSON.stringify(account());
  const { begun, count } = decode(glue.sendBegin(config, JSON.stringify(code('8613711112222', '127.0.0.1')), Date.now()));
  assert.ok(begun && !count);
  glue.sendEnd(begun.send);
  const limited = JSON.stringify(account({ sendLimits: threeRules }));
  const reply = decode(glue.sendBegin(limited, JSON.stringify(code('8613711112222', '203.0.113.1')), Date.now()));
  assert.deepEqual(reply.count.counters.map(({ key, max, windowMs }) => [key.replace(/\{\d+\}/, '{app}'), max, windowMs]), [
    ['tencent-sms-limit:{app}:ip:5/3600:203.0.113.1', 5, 3_600_000],
    ['tencent-sms-limit:{app}:prefix:20/3600:+861371111', 20, 3_600_000],
    ['tencent-sms-limit:{app}:country:1000/86400:CN', 1000, 86_400_000],
  ]);
  glue.sendEnd(reply.count.send);
});

describe('through the Logto factory', () => {
  const factory = (config) => createConnector({ getConfig: async () => config });

  test('a real send over the limit: rate_limit_exceeded (429 in Logto), nothing sent', async () => {
    const config = account({ sendLimits: [{ by: 'prefix', max: 1, perSeconds: 60 }] });
    const connector = await factory(config);
    await connector.sendMessage(code('8613411110001', '203.0.113.1'));
    const error = await connector.sendMessage(code('8613411110002', '203.0.113.2')).catch((caught) => caught);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(server.requests.length, 1);
  });

  test("the console's Test: a refusal is one line naming the rule", async () => {
    const config = account({ sendLimits: [{ by: 'ip', max: 1, perSeconds: 60 }] });
    const connector = await factory(config);
    await connector.sendMessage(code('8613411110003', '203.0.113.1'), config);
    const error = await connector.sendMessage(code('8613411110003', '203.0.113.1'), config).catch((caught) => caught);
    assert.equal(error.code, 'general');
    assert.match(error.data.errorDescription, /^sendLimits\[0\] \(ip, 1 per 60 s\) refused this send \(203\.0\.113\.1\)/);
    // The first Test also read the templates (DescribeSmsTemplateList); one SMS went out.
    assert.equal(server.requests.filter(({ action }) => action === 'SendSms').length, 1);
  });

  test("the console's Test from a proxy's address sends, then says that ip rules were not applied", async () => {
    const config = account({ sendLimits: [{ by: 'ip', max: 5, perSeconds: 60 }] });
    const connector = await factory(config);
    const error = await connector.sendMessage(code('8613411110004', '::ffff:127.0.0.1'), config).catch((caught) => caught);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.code, 'general', "the console shows a connector's own line only for general");
    assert.match(error.data.errorDescription, /^The test SMS was sent \(RequestId [\w-]+\)\. sendLimits' ip rules were not applied to this send: Logto passed 127\.0\.0\.1, a loopback address,/);
    assert.match(error.data.requestId, /^[\w-]+$/);
    assert.equal(server.requests.filter(({ action }) => action === 'SendSms').length, 1, 'the SMS went out');
    // A public address, or a trusted one, is a plain success.
    assert.ok((await connector.sendMessage(code('8613411110004', '203.0.113.4'), config)).requestId);
    const trusted = { ...config, trustedIps: ['127.0.0.0/8'] };
    assert.ok((await connector.sendMessage(code('8613411110004', '127.0.0.1'), trusted)).requestId);
  });

  test('real sends from a proxy address go out and say why in the log, at most once a minute', async (t) => {
    const config = account({ sendLimits: [{ by: 'ip', max: 1, perSeconds: 60 }] });
    const connector = await factory(config);
    const warnings = [];
    t.mock.method(console, 'warn', (line) => warnings.push(line));
    for (let n = 0; n < 3; n += 1) {
      const result = await connector.sendMessage(code(`861341111000${n}`, '10.1.2.3'));
      assert.match(result.sendLimitsNote, /10\.1\.2\.3, a private address/);
    }
    assert.equal(server.requests.length, 3, 'never blocked on the proxy address');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^\[connector-tencent-sms-wasm\] sendLimits' ip rules were not applied/);
  });
});

test("the form's defaults, which Logto's console saves when the fields are left alone, are no limits", async () => {
  for (const key of ['sendLimits', 'trustedIps']) {
    const item = metadata.formItems.find((formItem) => formItem.key === key);
    assert.equal(item.type, 'Json');
    assert.deepEqual(item.defaultValue, []);
  }
  const config = account({ sendLimits: [], trustedIps: [] });
  assert.deepEqual(validateConfig(config).errors, []);
  assert.deepEqual(validateConfig(config).warnings, validateConfig(account()).warnings);
  for (let n = 0; n < 3; n += 1) {
    await sendMessage(code('8613311110001', '203.0.113.9'), config);
  }
  assert.equal(server.requests.length, 3);
});

test('validateConfig names the field of each error and warns where a limit cannot work as meant', () => {
  const checked = validateConfig(account({
    sendLimits: [{ by: 'ip', max: 5, perSeconds: 3600 }, { by: 'number', max: 0, perSeconds: 60 }],
    trustedIps: ['10.0.0.0/8', 'office'],
  }));
  assert.equal(checked.valid, false);
  assert.deepEqual(checked.errors.map(({ path, code: issue }) => [path.join('.'), issue]), [
    ['sendLimits.1.by', 'invalid_send_limit'],
    ['sendLimits.1.max', 'invalid_send_limit'],
    ['trustedIps.1', 'invalid_trusted_ip'],
  ]);
  assert.match(checked.errors[1].message, /max must be a whole number/);
  const warned = validateConfig(account({
    sendLimits: [
      { by: 'ip', max: 5, perSeconds: 3600 },
      { by: 'ip', max: 10, perSeconds: 600 },
      { by: 'country', max: 500, perSeconds: 604800 },
    ],
  }));
  assert.equal(warned.valid, true);
  assert.deepEqual(warned.warnings.map(({ path, code: issue }) => [path.join('.'), issue]), [
    ['sendLimits.0', 'ip_limit_needs_proxy_header'],
    ['sendLimits.1', 'unused_send_limit'],
    ['sendLimits.2.perSeconds', 'long_limit_window'],
  ]);
  assert.match(warned.warnings[0].message, /TRUST_PROXY_HEADER=1/);
  const trustedOnly = validateConfig(account({ trustedIps: ['10.0.0.0/8'] }));
  assert.deepEqual(trustedOnly.warnings.map(({ code: issue }) => issue), ['unused_trusted_ips']);
});
