// Mainland China and international numbers from one config, against a server that holds
// mainland and international templates apart the way Tencent does.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { sendMessage, validateConfig } from '../pkg/lib/index.js';

import { makeConfig, secretId, secretKey, templateCodeFor, templateTypes } from '../tests/support/fixtures.js';
import { validConfig } from '../tests/support/valid-config.js';

const { sdkAppId, signName } = validConfig();
import { startTencentServer } from '../tests/support/tencent-server.js';

const internationalCodeFor = (type) => String(200_001 + templateTypes.indexOf(type));

let server;
let oldConfig;
let bothAudiences;

before(async () => {
  const templates = {};
  for (const type of templateTypes) {
    templates[templateCodeFor(type)] = { international: false, params: 1 };
    templates[internationalCodeFor(type)] = { international: true, params: 1 };
  }
  server = await startTencentServer({ credentials: { [secretId]: secretKey }, templates, signNames: [signName] });
  oldConfig = makeConfig(server.url);
  bothAudiences = makeConfig(server.url, {
    internationalSignName: 'Acme',
    templates: templateTypes.map((usageType) => ({
      usageType,
      templateCode: templateCodeFor(usageType),
      internationalTemplateCode: internationalCodeFor(usageType),
    })),
  });
});

afterEach(() => server.reset());
after(() => server?.close());

const send = (to, config, type = 'SignIn') => sendMessage({ to, type, payload: { code: '123456' } }, config);
const lastBody = () => server.requests.at(-1).body;

test('one config: +86 gets the mainland template and sign, others the international ones', async () => {
  const mainland = await send('8613711112222', bothAudiences);
  assert.equal(mainland.isoCode, 'CN');
  assert.equal(lastBody().TemplateId, templateCodeFor('SignIn'));
  assert.equal(lastBody().SignName, signName);
  for (const [to, isoCode] of [['14155550123', 'US'], ['85291234567', 'HK'], ['447911123456', 'GB']]) {
    const result = await send(to, bothAudiences, 'Register');
    assert.equal(result.isoCode, isoCode);
    assert.equal(lastBody().TemplateId, internationalCodeFor('Register'));
    assert.equal(lastBody().SignName, 'Acme');
  }
  assert.ok(server.requests.every(({ signatureValid }) => signatureValid));
});

test('without internationalSignName, international templates go out unsigned', async () => {
  const { internationalSignName, ...unsigned } = bothAudiences;
  assert.ok(internationalSignName);
  await send('14155550123', unsigned);
  assert.equal(lastBody().TemplateId, internationalCodeFor('SignIn'));
  assert.equal('SignName' in lastBody(), false);
});

test('an old config behaves exactly as before for mainland numbers, but for the send id in SessionContext (none with sendLog "off")', async () => {
  const before = {
    PhoneNumberSet: ['+8613711112222'],
    SmsSdkAppId: sdkAppId,
    SignName: signName,
    TemplateId: templateCodeFor('SignIn'),
    TemplateParamSet: ['123456'],
  };
  const result = await send('8613711112222', oldConfig);
  assert.equal(result.isoCode, 'CN');
  const { SessionContext, ...rest } = lastBody();
  assert.deepEqual(rest, before);
  assert.match(SessionContext, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  await send('8613711112222', { ...oldConfig, sendLog: 'off' });
  assert.deepEqual(lastBody(), before);
});

test('a mainland template to a foreign number: Tencent refuses, the error names the field to add', async () => {
  const error = await send('14155550123', oldConfig).then(
    () => assert.fail('expected Tencent to refuse'),
    (failure) => failure,
  );
  assert.ok(error instanceof ConnectorError);
  assert.equal(error.code, 'invalid_request_parameters');
  assert.equal(error.data.tencentCode, 'UnsupportedOperation.ChineseMainlandTemplateToGlobalPhone');
  assert.equal(error.data.phoneNumber, '+14155550123');
  assert.match(error.data.message, /internationalTemplateCode/);
  assert.match(error.data.message, /internationalSignName/);
});

test('an international template given as templateCode to a +86 number is refused the same way', async () => {
  const swapped = makeConfig(server.url, {
    templates: templateTypes.map((usageType) => ({ usageType, templateCode: internationalCodeFor(usageType) })),
  });
  const error = await send('8613711112222', swapped).catch((failure) => failure);
  assert.equal(error.code, 'invalid_request_parameters');
  assert.equal(error.data.tencentCode, 'UnsupportedOperation.GlobalTemplateToChineseMainlandPhone');
  assert.match(error.data.message, /internationalTemplateCode/);
});

test("language sends X-TC-Language, signed and accepted", async () => {
  await send('8613711112222', { ...bothAudiences, language: 'en-US' });
  const [request] = server.requests;
  assert.equal(request.headers['x-tc-language'], 'en-US');
  assert.equal(request.signatureValid, true);
});

test('another endpoint host is sent and signed as Host', async () => {
  const endpoint = server.url.replace('127.0.0.1', 'localhost');
  await send('8613711112222', { ...bothAudiences, endpoint });
  const [request] = server.requests;
  assert.equal(request.headers.host, new URL(endpoint).host);
  assert.equal(request.signatureValid, true);
});

test('the validator covers the new fields', () => {
  const broken = {
    ...bothAudiences,
    language: 'fr-FR',
    internationalSignName: 7,
    senderId: 7,
    templates: [
      ...bothAudiences.templates,
      { usageType: 'X', templateCode: '1', internationalTemplateCode: 9 },
      { usageType: 'Y', templateCode: '2', internationalTemplateParams: ['10'] },
    ],
  };
  const { errors } = validateConfig(broken);
  assert.deepEqual(
    errors.map(({ path }) => JSON.stringify(path)).sort(),
    [
      '["internationalSignName"]',
      '["language"]',
      '["senderId"]',
      '["templates",10,"internationalTemplateParams"]',
      '["templates",9,"internationalTemplateCode"]',
    ],
  );
  const { valid, warnings } = validateConfig(bothAudiences);
  assert.equal(valid, true);
  assert.deepEqual(warnings, []);
});
