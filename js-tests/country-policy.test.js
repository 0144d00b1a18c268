// countryPolicy end to end against the local Tencent server: a refused number never becomes a
// request, an allowed one is sent once, and what Logto and the console's Test show.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import createConnector, { metadata, sendMessage, validateConfig } from '../pkg/lib/index.js';

import { makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

let server;
let config;
const policy = { allow: ['CN', 'US', 'GB', '!+1900', '!+4470'] };

// Number ranges and whether the policy above lets them through, written out by hand: the
// oracle does not ask the connector.
const ranges = [
  ['86137', true], ['86188', true], ['1415', true], ['1212', true], ['44790', true], ['44207', true],
  ['1876', false], // JM: +1, but not US
  ['1809', false], // DO
  ['1416', false], // CA
  ['1900', false], // the exception inside US
  ['4470', false], // the exception inside GB
  ['441534', false], // JE (+44 1534), not GB
  ['7916', false], // RU
  ['77012', false], // KZ
  ['882', false], // a global code
  ['23480', false], // NG
  ['85291', false], // HK is not CN
];

before(async () => {
  server = await startTencentServer({ credentials: { [secretId]: secretKey } });
  config = makeConfig(server.url, { countryPolicy: policy });
});
afterEach(() => server.reset());
after(() => server?.close());

/** A deterministic stream of numbers over the ranges above, each 11 to 13 digits long. */
const numbers = (count) => {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  return Array.from({ length: count }, () => {
    const [prefix, allowed] = ranges[next() % ranges.length];
    let digits = prefix;
    while (digits.length < 11 + (next() % 3)) {
      digits += String(next() % 10);
    }
    return { to: digits, allowed };
  });
};

test('10,000 mixed sends: every allowed number is sent once, no refused number reaches the server', async () => {
  const sends = numbers(10_000);
  const outcomes = new Array(sends.length);
  // A pool of concurrent sends, as a busy Logto makes them.
  let next = 0;
  const worker = async () => {
    while (next < sends.length) {
      const index = next++;
      const { to } = sends[index];
      outcomes[index] = await sendMessage({ to, type: 'SignIn', payload: { code: '123456' } }, config).then(
        (result) => ({ result }),
        (error) => ({ error }),
      );
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));

  const allowed = sends.filter(({ allowed }) => allowed);
  const refused = sends.filter(({ allowed }) => !allowed);
  assert.ok(allowed.length > 2_000 && refused.length > 5_000, `a real mix: ${allowed.length} allowed`);
  const failed = sends.flatMap(({ allowed: isAllowed, to }, index) => (isAllowed && outcomes[index].error ? [`${to}: ${outcomes[index].error.message}`] : []));
  assert.deepEqual(failed.slice(0, 5), [], 'every allowed send succeeds');
  const sentNumbers = server.requests.map(({ body }) => body.PhoneNumberSet[0]);
  assert.equal(server.requests.length, allowed.length, 'one request per allowed send, none for refused ones');
  assert.ok(server.requests.every(({ signatureValid }) => signatureValid));
  const sentCount = new Map();
  for (const number of sentNumbers) {
    sentCount.set(number, (sentCount.get(number) ?? 0) + 1);
  }
  const expectedCount = new Map();
  for (const { to } of allowed) {
    expectedCount.set(`+${to}`, (expectedCount.get(`+${to}`) ?? 0) + 1);
  }
  assert.deepEqual(sentCount, expectedCount, 'exactly the allowed numbers, each as often as it was sent');
  for (const [index, { allowed: isAllowed, to }] of sends.entries()) {
    const { result, error } = outcomes[index];
    if (isAllowed) {
      assert.equal(result?.phoneNumber, `+${to}`, `${to}: ${error?.message}`);
    } else {
      assert.ok(error instanceof ConnectorError, to);
      assert.equal(error.code, 'general', to);
      assert.match(error.data.errorDescription, /not offered/);
      assert.match(error.data.message, /^countryPolicy\.allow.* blocks this number/);
      assert.ok(!JSON.stringify(error.data).includes(to), `the whole number stays out of the error: ${to}`);
    }
  }
});

describe('through the Logto factory', () => {
  const factory = () => createConnector({ getConfig: async () => config });
  const data = (to) => ({ to, type: 'SignIn', payload: { code: '123456', locale: 'en' } });

  test('a real send of a refused number: general, the end user sentence, the rule for the operator', async () => {
    const connector = await factory();
    const error = await connector.sendMessage(data('18765550123')).catch((caught) => caught);
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.code, 'general', "Logto's sign-in page shows a general error's errorDescription");
    assert.equal(
      error.data.errorDescription,
      'SMS to phone numbers in this country or region is not offered: use another phone number or another way to sign in.',
    );
    assert.match(error.data.message, /^countryPolicy\.allow \(no entry matches\) blocks this number/);
    assert.match(error.data.message, /JM, \+1876…/);
    assert.equal(server.requests.length, 0);
  });

  test("the console's Test names the entry that blocked the number", async () => {
    const connector = await factory();
    const error = await connector.sendMessage(data('19005550123'), config).catch((caught) => caught);
    assert.equal(error.code, 'general');
    assert.match(error.data.errorDescription, /countryPolicy\.allow\[3\] "!\+1900" blocks this number \(US, \+1900…\)/);
    assert.doesNotMatch(error.data.errorDescription, /5550123/);
    assert.equal(server.requests.length, 0);
    await connector.sendMessage(data('14155550123'), config);
    // The Test then reads the templates (DescribeSmsTemplateList): one SMS all the same.
    assert.equal(server.requests.filter(({ action }) => action === 'SendSms').length, 1, 'an allowed number is sent');
  });
});

test("the form's default, which Logto's console saves when the field is left alone, is no policy", async () => {
  const item = metadata.formItems.find(({ key }) => key === 'countryPolicy');
  assert.equal(item.type, 'Json');
  // The console keeps a Json field as text and refuses a form whose Json text is missing.
  assert.equal(typeof JSON.stringify(item.defaultValue), 'string');
  const untouched = { ...config, countryPolicy: item.defaultValue };
  assert.deepEqual(validateConfig(untouched).errors, []);
  assert.deepEqual(validateConfig(untouched).warnings, validateConfig({ ...config, countryPolicy: undefined }).warnings);
  await sendMessage({ to: '18765550123', type: 'SignIn', payload: { code: '123456' } }, untouched);
  assert.equal(server.requests.length, 1, 'no policy: a Jamaican number is sent');
});

test('validateConfig names the field of each policy error, and warns about entries that never decide', () => {
  const checked = validateConfig({ ...config, countryPolicy: { allow: ['CN', 'XX', '+1 876', 7] } });
  assert.equal(checked.valid, false);
  assert.deepEqual(
    checked.errors.map(({ path, code }) => [path.join('.'), code]),
    [
      ['countryPolicy.allow.1', 'unknown_country'],
      ['countryPolicy.allow.2', 'invalid_prefix'],
      ['countryPolicy.allow.3', 'invalid_country_entry'],
    ],
  );
  assert.match(checked.errors[0].message, /ISO 3166-1/);
  const both = validateConfig({ ...config, countryPolicy: { allow: ['CN'], deny: ['JM'] } });
  assert.deepEqual(both.errors.map(({ path }) => path.join('.')), ['countryPolicy']);
  const unused = validateConfig({ ...config, countryPolicy: { allow: ['CN', '!+1900'] } });
  assert.equal(unused.valid, true);
  assert.deepEqual(
    unused.warnings.map(({ path, code }) => [path.join('.'), code]),
    [
      ['countryPolicy.allow.1', 'unused_country_entry'],
    ],
  );
  const mainland = validateConfig({ ...config, countryPolicy: { allow: ['US'] } });
  assert.deepEqual(mainland.warnings.map(({ code }) => code), ['mainland_blocked']);
});
