// Each list the connector states in several places is owned once and checked everywhere else:
// message types by the host kit's TemplateType, config fields by metadata.formItems, the required
// types by the validator (the form's defaults follow it), error data by index.d.ts. Adding an entry
// in one place and not the others fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'node:test';

import { TemplateType } from '@logto/connector-kit';

import { sendMessage, validateConfig } from '../pkg/lib/index.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';

import { makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const { metadata } = await import('../pkg-template/lib/metadata.js');
const types = readFileSync(new URL('../pkg-template/index.d.ts', import.meta.url), 'utf8');

const union = (name) => {
  const body = types.match(new RegExp(`export type ${name} =([^;]+);`))?.[1] ?? '';
  return [...body.matchAll(/'([^']+)'/g)].map(([, value]) => value);
};
const properties = (name) => {
  const body = types.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))?.[1] ?? '';
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map(([, key]) => key);
};
const sorted = (values) => [...values].sort();

const kitTypes = Object.values(TemplateType);
const formKeys = metadata.formItems.map(({ key }) => key);
const templatesItem = metadata.formItems.find(({ key }) => key === 'templates');
const validConfig = makeConfig('http://127.0.0.1:8080');
const warningCodes = (config) => validateConfig(config).warnings.map(({ code }) => code);

test('message types: index.d.ts and the validator know exactly the host kit’s TemplateType', () => {
  assert.deepEqual(sorted(union('UsageType')), sorted(kitTypes));
  for (const usageType of kitTypes) {
    const config = { ...validConfig, templates: [...validConfig.templates, { usageType, templateCode: '100099' }] };
    assert.ok(!warningCodes(config).includes('unknown_usage_type'), `${usageType} is unknown to the validator`);
  }
  const custom = { ...validConfig, templates: [...validConfig.templates, { usageType: 'Custom', templateCode: '100099' }] };
  assert.ok(warningCodes(custom).includes('unknown_usage_type'), 'the check above can fail');
});

test('required message types: the validator requires exactly the types the form prefills', () => {
  const prefilled = templatesItem.defaultValue.map(({ usageType }) => usageType);
  const required = kitTypes.filter((usageType) => {
    const without = { ...validConfig, templates: validConfig.templates.filter((template) => template.usageType !== usageType) };
    return !validateConfig(without).valid;
  });
  assert.deepEqual(sorted(prefilled), sorted(required));
});

test('config fields: formItems, index.d.ts and the validator name the same keys', () => {
  assert.deepEqual(sorted(formKeys), sorted(properties('TencentSmsConfig')));
  const everyField = {
    ...validConfig,
    internationalSignName: 'Intl',
    senderId: 'Sender',
    endpoint: 'sms.tencentcloudapi.com',
    timeoutMs: 5_000,
    language: 'en-US',
    countryPolicy: { allow: ['CN', 'US'] },
    sendLimits: [{ by: 'ip', max: 5, perSeconds: 3600 }],
    trustedIps: ['10.0.0.0/8'],
    fallback: { type: 'http', endpoint: 'https://sms-gateway.example.com/send', authorization: 'Bearer token' },
    fallbackCooldownSeconds: 120,
    sendLog: 'off',
    signId: '1110',
    testNumbers: ['+8613700000001'],
    dryRun: false,
  };
  assert.deepEqual(sorted(Object.keys(everyField)), sorted(formKeys), 'this test sets every form field');
  assert.ok(!warningCodes(everyField).includes('unknown_key'));
  assert.ok(warningCodes({ ...everyField, extraField: 1 }).includes('unknown_key'), 'the check above can fail');
});

test('template fields: index.d.ts and the validator name the same keys', () => {
  const keys = properties('TencentSmsTemplate');
  const template = {
    usageType: 'SignIn',
    locale: 'en',
    templateCode: '100001',
    internationalTemplateCode: '200001',
    templateParams: ['{code}'],
    internationalTemplateParams: ['{code}'],
  };
  assert.deepEqual(sorted(Object.keys(template)), sorted(keys), 'this test sets every template field');
  const config = { ...validConfig, templates: [template, ...validConfig.templates.slice(1)] };
  assert.ok(!warningCodes(config).includes('unknown_key'));
});

test('issue codes: what validateConfig reports, from wasm or engine.js, is declared in index.d.ts', () => {
  const errorCodes = new Set(union('ConfigErrorCode'));
  const warningCodeSet = new Set(union('ConfigWarningCode'));
  const configs = [
    10n, // not JSON: engine.js answers before the wasm
    'text',
    { ...validConfig, accessKeyId: 1, region: 'ap-mars', timeoutMs: 5, language: 'fr', endpoint: 'http://example.com', extra: 1 },
    { ...validConfig, sdkAppId: 'x', signName: 'X', accessKeySecret: ' AKID ', templates: [{ usageType: 'Signin', templateCode: '<template-code>', templateParams: ['http://x'] }] },
    { ...validConfig, templates: [{ usageType: 'SignIn', templateCode: '1', templateParams: ['5'] }] },
    { ...validConfig, sendLimits: [{ by: 'ip', max: 0, perSeconds: 9e6 }, { by: 'ip', max: 9, perSeconds: 86401 }], trustedIps: ['x'] },
    { ...validConfig, testNumbers: ['+86*', '+8613700000001', '+8613700000001'], dryRun: true },
  ];
  const seen = [];
  for (const config of configs) {
    const { errors, warnings } = validateConfig(config);
    for (const { code } of errors) assert.ok(errorCodes.has(code), `error code ${code} is not a ConfigErrorCode`);
    for (const { code } of warnings) assert.ok(warningCodeSet.has(code), `warning code ${code} is not a ConfigWarningCode`);
    seen.push(...errors, ...warnings);
  }
  assert.ok(seen.some(({ code }) => code === 'not_json'), 'engine.js\'s own code is covered');
  assert.ok(seen.length > 15, 'the configs above raise many codes');
});

test('error data: every key an error carries is declared in index.d.ts', async () => {
  const declared = new Set(properties('TencentSmsErrorData'));
  const server = await startTencentServer({ credentials: { [secretId]: secretKey } });
  const seen = new Set();
  const collect = (error) => Object.keys(error.data ?? {}).forEach((key) => seen.add(key));
  const message = { to: '8613711112222', type: 'SignIn', payload: { code: '123456' } };
  try {
    const config = makeConfig(server.url);
    server.set({ requestCode: 'LimitExceeded.PhoneNumberDailyLimit' });
    await sendMessage(message, config).catch(collect);
    server.set({ requestCode: null, fault: 'html502' });
    await sendMessage(message, config).catch(collect);
    server.reset();
    await sendMessage(message, { ...config, region: 1 }).catch(collect);
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    await sendMessage(message, { ...config, endpoint: `http://127.0.0.1:${port}` }).catch(collect);
    await sendMessage({ ...message, to: '18765550123' }, { ...config, countryPolicy: { allow: ['CN'] } }).catch(collect);
    // Both routes failing: the fallback's outcome with the primary's beside it.
    const second = { type: 'tencent', ...config, accessKeyId: 'AKIDsecondaccount0000000000000000000', sdkAppId: '1400009999' };
    server.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    await sendMessage(message, { ...config, fallback: second, fallbackCooldownSeconds: 0 }).catch(collect);
    server.reset();
    validateConfig({});
    new Uint8Array(glue.initSync().memory.buffer).fill(0xff);
    await sendMessage(message, config).catch(collect);
  } finally {
    await server.close();
  }
  for (const key of ['tencentCode', 'requestId', 'status', 'bodyExcerpt', 'delivery', 'issues', 'trap', 'route', 'primaryError']) {
    assert.ok(seen.has(key), `no scenario above produced ${key}`);
  }
  assert.deepEqual([...seen].filter((key) => !declared.has(key)), [], 'undeclared error data keys');
});
