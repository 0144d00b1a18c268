// Real Tencent templates (issue 12): more placeholders than the code, international params,
// SenderId, the request-client header, placeholder template codes, and endpoints fetch sends
// unchanged - against a server that knows each template's placeholder count.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { metadata, sendMessage, validateConfig } from '../pkg/lib/index.js';

import { makeConfig, secretId, secretKey, templateCodeFor, templateTypes } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const manifest = JSON.parse(readFileSync(new URL('../pkg/package.json', import.meta.url), 'utf8'));

// "Your login verification code is {1}. Please enter it within {2} minutes."
const TWO_PLACEHOLDERS = '300001';
const INTERNATIONAL_TWO_PLACEHOLDERS = '400001';
const INTERNATIONAL_ONE_PLACEHOLDER = '400002';
// A notification template: its variables are not limited to digits.
const NOTIFICATION = '300002';

let server;

before(async () => {
  const templates = {
    [TWO_PLACEHOLDERS]: { international: false, params: 2 },
    [INTERNATIONAL_TWO_PLACEHOLDERS]: { international: true, params: 2 },
    [INTERNATIONAL_ONE_PLACEHOLDER]: { international: true, params: 1 },
    [NOTIFICATION]: { international: false, params: 2, verification: false },
  };
  for (const type of templateTypes) {
    templates[templateCodeFor(type)] = { international: false, params: 1 };
  }
  server = await startTencentServer({ credentials: { [secretId]: secretKey }, templates });
});

afterEach(() => server.reset());
after(() => server?.close());

/** The standard config with SignIn's entry replaced. */
const withSignIn = (signIn, overrides = {}) =>
  makeConfig(server.url, {
    templates: templateTypes.map((usageType) =>
      usageType === 'SignIn' ? { usageType, ...signIn } : { usageType, templateCode: templateCodeFor(usageType) },
    ),
    ...overrides,
  });

const send = (config, to = '8613711112222', type = 'SignIn') =>
  sendMessage({ to, type, payload: { code: '123456', locale: 'en', uiLocales: 'fr-CA fr' } }, config);
const refusal = (promise) =>
  promise.then(
    (result) => assert.fail(`expected a refusal, got ${JSON.stringify(result)}`),
    (error) => error,
  );
const lastRequest = () => server.requests.at(-1);

test('a two-placeholder template gets the code and the fixed value, in order', async () => {
  const config = withSignIn({ templateCode: TWO_PLACEHOLDERS, templateParams: ['{code}', '10'] });
  assert.deepEqual(validateConfig(config), { valid: true, errors: [], warnings: [] });
  const result = await send(config);
  assert.equal(result.isoCode, 'CN');
  assert.deepEqual(lastRequest().body.TemplateParamSet, ['123456', '10']);
  assert.equal(lastRequest().signatureValid, true);
});

test('without templateParams a two-placeholder template is refused and the advice names templateParams', async () => {
  const error = await refusal(send(withSignIn({ templateCode: TWO_PLACEHOLDERS })));
  assert.ok(error instanceof ConnectorError);
  assert.equal(error.code, 'invalid_config');
  assert.equal(error.data.tencentCode, 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate');
  assert.deepEqual(lastRequest().body.TemplateParamSet, ['123456']);
  assert.match(error.data.message, /templateParams/);
  assert.doesNotMatch(error.data.message, /exactly one placeholder/);
});

test('a non-digit value in a verification-code template: warned first, then invalid_config from Tencent', async () => {
  const config = withSignIn({ templateCode: TWO_PLACEHOLDERS, templateParams: ['{code}', 'ten'] });
  const { valid, warnings } = validateConfig(config);
  assert.equal(valid, true);
  assert.deepEqual(
    warnings.map(({ path, code }) => [path, code]),
    [[['templates', templateTypes.indexOf('SignIn'), 'templateParams', 1], 'template_param_format']],
  );
  assert.match(warnings[0].message, /0-6 digits/);
  const error = await refusal(send(config));
  assert.equal(error.code, 'invalid_config');
  assert.equal(error.data.tencentCode, 'InvalidParameterValue.TemplateParameterFormatError');
  assert.match(error.data.message, /templateParams/);
  // A notification template takes text.
  await send(withSignIn({ templateCode: NOTIFICATION, templateParams: ['{code}', 'ten'] }));
  assert.deepEqual(lastRequest().body.TemplateParamSet, ['123456', 'ten']);
});

test('international params go with the international template; +86 keeps templateParams', async () => {
  const config = withSignIn({
    templateCode: templateCodeFor('SignIn'),
    internationalTemplateCode: INTERNATIONAL_TWO_PLACEHOLDERS,
    internationalTemplateParams: ['{code}', '5'],
  });
  await send(config, '14155550123');
  assert.equal(lastRequest().body.TemplateId, INTERNATIONAL_TWO_PLACEHOLDERS);
  assert.deepEqual(lastRequest().body.TemplateParamSet, ['123456', '5']);
  await send(config, '8613711112222');
  assert.equal(lastRequest().body.TemplateId, templateCodeFor('SignIn'));
  assert.deepEqual(lastRequest().body.TemplateParamSet, ['123456']);
});

test('internationalTemplateParams defaults to templateParams', async () => {
  const config = withSignIn({
    templateCode: TWO_PLACEHOLDERS,
    templateParams: ['{code}', '10'],
    internationalTemplateCode: INTERNATIONAL_TWO_PLACEHOLDERS,
  });
  await send(config, '447911123456');
  assert.deepEqual(lastRequest().body.TemplateParamSet, ['123456', '10']);
  const mismatched = withSignIn({
    templateCode: TWO_PLACEHOLDERS,
    templateParams: ['{code}', '10'],
    internationalTemplateCode: INTERNATIONAL_ONE_PLACEHOLDER,
  });
  const error = await refusal(send(mismatched, '447911123456'));
  assert.equal(error.data.tencentCode, 'FailedOperation.TemplateParamSetNotMatchApprovedTemplate');
  assert.match(error.data.message, /internationalTemplateParams/);
});

test('SenderId is sent to an international number and never to a +86 number', async () => {
  const config = makeConfig(server.url, { senderId: 'ACME' });
  assert.deepEqual(validateConfig(config).errors, []);
  await send(config, '8613711112222');
  assert.equal(lastRequest().senderId, undefined);
  assert.equal('SenderId' in lastRequest().body, false);
  await refusal(send(config, '6591234567')); // a mainland template: refused, but SenderId went out
  assert.equal(lastRequest().senderId, 'ACME');
  await send(makeConfig(server.url), '6591234567').catch(() => {});
  assert.equal(lastRequest().senderId, undefined);
});

test('every request names this connector and its version in X-TC-RequestClient, unsigned', async () => {
  await send(makeConfig(server.url));
  const request = lastRequest();
  assert.equal(request.requestClient, `${manifest.name}/${manifest.version}`);
  assert.equal(request.signatureValid, true);
  assert.doesNotMatch(request.headers.authorization, /requestclient/i);
});

test('an untouched "<template-code>" is never sent: the type falls back to Generic, and the validator warns', async () => {
  const config = makeConfig(server.url, {
    templates: templateTypes.map((usageType) => ({
      usageType,
      templateCode: usageType === 'MfaVerification' ? '<template-code>' : templateCodeFor(usageType),
    })),
  });
  await send(config, '8613711112222', 'MfaVerification');
  assert.equal(lastRequest().body.TemplateId, templateCodeFor('Generic'));
  const { valid, warnings } = validateConfig(config);
  assert.equal(valid, true);
  assert.deepEqual(
    warnings.map(({ path, code }) => [path, code]),
    [[['templates', templateTypes.indexOf('MfaVerification'), 'templateCode'], 'not_template_id']],
  );
  assert.match(warnings[0].message, /Generic/);
});

test('the form prefills only the four required types, and its language select shows a real default', () => {
  const items = new Map(metadata.formItems.map((item) => [item.key, item]));
  assert.deepEqual(
    items.get('templates').defaultValue.map(({ usageType }) => usageType).sort(),
    ['ForgotPassword', 'Generic', 'Register', 'SignIn'],
  );
  const language = items.get('language');
  // Logto's Select shows an empty value as a blank box, so every option and the default are real
  // languages, and the default is Tencent's own.
  assert.equal(language.defaultValue, 'zh-CN');
  assert.ok(language.selectItems.every(({ value }) => value !== ''));
  assert.ok(language.selectItems.some(({ value }) => value === language.defaultValue));
  assert.deepEqual(validateConfig({ ...makeConfig(server.url), language: language.defaultValue }).errors, []);
  for (const key of ['senderId', 'endpoint', 'templates']) {
    assert.ok(items.get(key)?.tooltip, `${key} has a tooltip`);
  }
  assert.match(items.get('templates').tooltip, /templateParams/);
  assert.match(items.get('endpoint').tooltip, /sms\.intl\.tencentcloudapi\.com/);
});

test('an empty language is Tencent default: valid, and no X-TC-Language header', async () => {
  const config = makeConfig(server.url, { language: '' });
  assert.deepEqual(validateConfig(config).errors, []);
  await send(config);
  assert.equal(lastRequest().headers['x-tc-language'], undefined);
});

test('timeoutMs must be a finite whole number in range', () => {
  for (const timeoutMs of [Number.NaN, Number.POSITIVE_INFINITY, null, 99, 60_001, 2500.5, '2500']) {
    const { errors } = validateConfig(makeConfig(server.url, { timeoutMs }));
    assert.deepEqual(errors.map(({ path }) => path), [['timeoutMs']], String(timeoutMs));
  }
  assert.deepEqual(validateConfig(makeConfig(server.url, { timeoutMs: 100 })).errors, []);
});

test('endpoints fetch would rewrite or refuse are invalid; the international site is valid', () => {
  const endpointErrors = (endpoint) => validateConfig(makeConfig(endpoint)).errors.map(({ code }) => code);
  for (const endpoint of [
    `http://127.000.000.001:${server.port}`,
    `http://127.1:${server.port}`,
    'http://localhost:080',
    'https://[.]',
    'http://[0:0::1]:8080',
    'https://sms_x.tencentcloudapi.com',
  ]) {
    assert.deepEqual(endpointErrors(endpoint), ['invalid_endpoint'], endpoint);
  }
  assert.deepEqual(endpointErrors('http://127.0.0.1:9'), ['blocked_port']);
  for (const endpoint of ['sms.intl.tencentcloudapi.com', 'https://sms.intl.tencentcloudapi.com/', 'https://[::1]:8443']) {
    assert.deepEqual(endpointErrors(endpoint), [], endpoint);
  }
});

test("the blocked ports are exactly the ones this Node's fetch refuses as bad ports", async () => {
  const blocked = [];
  for (let port = 1; port <= 65_535; port += 1) {
    const { errors } = validateConfig(makeConfig(`http://127.0.0.1:${port}`));
    if (errors.some(({ code }) => code === 'blocked_port')) blocked.push(port);
  }
  const candidates = [...new Set(blocked.flatMap((port) => [port - 1, port, port + 1]))].filter(
    (port) => port >= 1 && port !== server.port,
  );
  const refusedByFetch = [];
  await Promise.all(
    candidates.map(async (port) => {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      } catch (error) {
        if (/bad port/i.test(String(error?.cause?.message ?? error?.message))) refusedByFetch.push(port);
      }
    }),
  );
  assert.deepEqual(refusedByFetch.sort((a, b) => a - b), blocked);
});
