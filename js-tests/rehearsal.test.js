// Issue 27: the console Test's template check (DescribeSmsTemplateList / DescribeSmsSignList on
// the local Tencent server, which verifies every signature), `doctor`, and testNumbers/dryRun,
// whose codes go to Logto's mock SMS file instead of Tencent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { mockConnectorFilePaths } from '@logto/connector-kit';

import createConnector, { validateConfig } from '../pkg/lib/index.js';
import { runDoctor } from '../pkg/lib/doctor.js';
import { placeholders, templateQueries, templateReport } from '../pkg/lib/template-checks.js';
import { makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const credentials = { [secretId]: secretKey };
const signName = '腾讯云';
// SignIn and Register on their own templates, the other required types on Generic's.
const templates = [
  { usageType: 'SignIn', templateCode: '100001' },
  { usageType: 'Register', templateCode: '100002' },
  { usageType: 'ForgotPassword', templateCode: '100003', templateParams: ['{code}', '5'] },
  { usageType: 'Generic', templateCode: '100004', internationalTemplateCode: '200004' },
];
const approved = {
  100001: { international: false, params: 1 },
  100002: { international: false, params: 1 },
  100003: { international: false, params: 2 },
  100004: { international: false, params: 1 },
  200004: { international: true, params: 1 },
};
const signs = { 1110: { name: signName } };
const servers = [];
const start = async (options) => {
  const server = await startTencentServer({ credentials, signs, ...options });
  servers.push(server);
  return server;
};
after(() => Promise.all(servers.map((server) => server.close())));

const test000000 = { to: '8613711112222', type: 'Generic', payload: { code: '000000' } };
const configFor = (server, overrides) => makeConfig(server.url, { signName, signId: '1110', templates, ...overrides });
/** The Test as Logto's console runs it: the unsaved config as the second argument. */
const consoleTest = async (config) => {
  const connector = await createConnector({ getConfig: async () => assert.fail('the Test reads no saved config') });
  return connector.sendMessage(test000000, config);
};
const actions = (server) => server.requests.map(({ action }) => action);

describe("the console's Test checks every template and the signature after its SMS", () => {
  test('a clean config passes with one SendSms and one call of each Describe action', async () => {
    const server = await start({ templates: { ...approved, 200004: undefined } });
    // Mainland templates only: one DescribeSmsTemplateList page.
    const config = configFor(server, { templates: templates.map(({ internationalTemplateCode, ...rest }) => rest) });
    const result = await consoleTest(config);
    assert.ok(result.requestId);
    assert.deepEqual(actions(server), ['SendSms', 'DescribeSmsTemplateList', 'DescribeSmsSignList']);
    assert.ok(server.requests.every(({ signatureValid }) => signatureValid), 'every call signed with TC3');
    assert.deepEqual(server.requests[1].body, { International: 0, TemplateIdSet: [100001, 100002, 100003, 100004] });
    assert.deepEqual(server.requests[2].body, { International: 0, SignIdSet: [1110] });
  });

  test('one unapproved and one wrong-site template fail the Test, naming exactly those usage types', async () => {
    const server = await start({
      templates: {
        ...approved,
        100002: { international: false, params: 1, status: -1, reviewReply: 'content not allowed' },
        // Register's neighbour: ForgotPassword's template is an international one.
        100003: { international: true, params: 2 },
      },
    });
    const error = await consoleTest(configFor(server)).catch((caught) => caught);
    assert.equal(error.code, 'general', "the console shows a connector's own line only for general");
    const line = error.data.errorDescription;
    assert.match(line, /^The test SMS was sent \(RequestId [\w-]+\)\. /, 'it says first that the SMS went out');
    assert.deepEqual(error.data.problems, [
      'Register: template 100002 is not approved (rejected: content not allowed).',
      "ForgotPassword: template 100003 is not among this account's mainland templates: check templateCode.",
    ]);
    for (const problem of error.data.problems) assert.ok(line.includes(problem));
    for (const fine of ['SignIn', 'Generic']) assert.ok(!line.includes(`${fine}:`), `${fine} is not named`);
    assert.deepEqual(actions(server), ['SendSms', 'DescribeSmsTemplateList', 'DescribeSmsTemplateList', 'DescribeSmsSignList']);
  });

  test('a placeholder count or a signature Tencent disagrees with is named too', async () => {
    const server = await start({ templates: { ...approved, 100001: { international: false, params: 2 } }, signs: { 1110: { name: 'Other' } } });
    const error = await consoleTest(configFor(server)).catch((caught) => caught);
    assert.deepEqual(error.data.problems, [
      'signId 1110 is the signature "Other", not signName "腾讯云".',
      'SignIn: template 100001 has 2 placeholder(s) but templateParams gives 1: give one value per placeholder.',
    ]);
  });

  test("an individual account, which Tencent refuses the Describe actions, passes with one line in Logto's log", async (t) => {
    const server = await start({ templates: approved, individual: true });
    const warn = t.mock.method(console, 'warn', () => {});
    const result = await consoleTest(configFor(server));
    assert.ok(result.requestId, 'the Test passes');
    assert.equal(result.templateNotes.length, 1);
    assert.match(result.templateNotes[0], /FailedOperation\.NotEnterpriseCertification/);
    assert.equal(warn.mock.callCount(), 1);
    assert.match(warn.mock.calls[0].arguments[0], /The test SMS was sent \(RequestId [\w-]+\)\. Templates and signature not checked/);
    assert.deepEqual(server.requests.map(({ answeredCode }) => answeredCode), [null, 'FailedOperation.NotEnterpriseCertification', 'FailedOperation.NotEnterpriseCertification', 'FailedOperation.NotEnterpriseCertification']);
  });

  test('real sends check nothing: one request each', async () => {
    const server = await start({ templates: approved });
    const config = configFor(server);
    const connector = await createConnector({ getConfig: async () => config });
    await connector.sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '123456' } });
    assert.deepEqual(actions(server), ['SendSms']);
  });
});

describe('testNumbers and dryRun never reach Tencent', () => {
  const file = mockConnectorFilePaths.Sms;
  const read = () => readFileSync(file, 'utf8');
  /** Exactly what Logto's connector-mock-sms writes for a message (its src/index.ts). */
  const asLogtoMock = ({ to, type, payload }) => `${JSON.stringify({ phone: to, code: payload.code, type, payload })}\n`;

  test('a test number: 0 requests, the code in the mock file as Logto writes it; other numbers still send', async () => {
    const server = await start({ templates: approved });
    const config = configFor(server, { testNumbers: ['+8613700000001'] });
    const connector = await createConnector({ getConfig: async () => config });
    const message = { to: '8613700000001', type: 'SignIn', payload: { code: '482913', locale: 'zh-CN' } };
    const result = await connector.sendMessage(message);
    assert.deepEqual(result, { dryRun: true, reason: 'testNumbers', phoneNumber: '+8613700000001' });
    assert.equal(server.requests.length, 0);
    assert.equal(read(), asLogtoMock(message));
    // What Logto's integration tests do with it (helpers/index.ts, readConnectorMessage).
    assert.equal(JSON.parse(read()).code, '482913');
    await connector.sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '111111' } });
    assert.deepEqual(actions(server), ['SendSms']);
  });

  test('dryRun: every number, before countryPolicy and sendLimits; the Test says it did not send', async () => {
    const server = await start({ templates: approved });
    const config = configFor(server, {
      dryRun: true,
      countryPolicy: { allow: ['US'] },
      sendLimits: [{ by: 'prefix', max: 1, perSeconds: 60 }],
    });
    const connector = await createConnector({ getConfig: async () => config });
    for (const code of ['1', '2', '3']) {
      const message = { to: '8613711112222', type: 'Register', payload: { code } };
      assert.equal((await connector.sendMessage(message)).reason, 'dryRun');
      assert.equal(read(), asLogtoMock(message), 'overwritten, as the mock connector does');
    }
    const error = await consoleTest(config).catch((caught) => caught);
    assert.equal(error.code, 'general');
    assert.match(error.data.errorDescription, /^The test SMS was not sent: dryRun is on/);
    assert.equal(server.requests.length, 0);
    assert.ok(validateConfig(config).warnings.some(({ code }) => code === 'dry_run_on'));
  });

  test('an engine without a file writer (no Node entry) refuses such a send, saying why, and sends nothing', async () => {
    const server = await start({ templates: approved });
    const { createEngine } = await import('../pkg/lib/engine.js');
    const glue = await import('../pkg/lib/wasm/tencent_sms.js');
    const wasm = readFileSync(new URL('../pkg/lib/wasm/tencent_sms_bg.wasm', import.meta.url));
    const engine = createEngine({ glue, load: () => glue.initSync({ module: new WebAssembly.Module(wasm) }) });
    const error = await engine.sendMessage(test000000, configFor(server, { dryRun: true })).catch((caught) => caught);
    assert.equal(error.code, 'general');
    assert.equal(error.data.delivery, 'not_sent');
    assert.match(error.data.message, /^dryRun kept this SMS from Tencent, and its code can be written only by the Node entry/);
    assert.equal(server.requests.length, 0);
  });

  test('the validator refuses prefixes, wildcards and duplicates, naming the field', () => {
    const { valid, errors } = validateConfig(makeConfig('https://sms.tencentcloudapi.com', { testNumbers: ['+86137*', '+8613700000001', '+8613700000001'], dryRun: 'yes' }));
    assert.equal(valid, false);
    assert.deepEqual(errors.map(({ path, code }) => `${path.join('.')}:${code}`), ['dryRun:invalid_type', 'testNumbers.0:invalid_test_number', 'testNumbers.2:duplicate_test_number']);
  });
});

describe('doctor', () => {
  test("lists the validator's warnings and Tencent's problems, sending nothing", async () => {
    const server = await start({ templates: { ...approved, 200004: { international: true, params: 1, status: 1 } } });
    const lines = [];
    const report = await runDoctor(configFor(server, { dryRun: true }), { out: (line) => lines.push(line) });
    assert.equal(report.ok, false);
    assert.deepEqual(report.items.map(({ level, code }) => `${level}:${code ?? ''}`), ['warning:dry_run_on', 'problem:']);
    assert.equal(report.items[1].text, 'Generic: template 200004 is not approved (in review).');
    assert.equal(lines.length, 2);
    assert.deepEqual(actions(server), ['DescribeSmsTemplateList', 'DescribeSmsTemplateList', 'DescribeSmsSignList']);
    assert.equal(report.calls, 3);
  });

  test('a clean config is ok; without signId it says signName was not checked; errors stop before any call', async () => {
    const server = await start({ templates: approved });
    const clean = await runDoctor(configFor(server, { signId: undefined }));
    assert.equal(clean.ok, true);
    assert.deepEqual(clean.items.map(({ level }) => level), ['note']);
    assert.match(clean.items[0].text, /signId/);
    const before = server.requests.length;
    const broken = await runDoctor(configFor(server, { testNumbers: ['+1*'] }));
    assert.equal(broken.ok, false);
    assert.equal(broken.items[0].code, 'invalid_test_number');
    assert.equal(server.requests.length, before);
  });
});

describe("the checks' reading of Tencent's records", () => {
  test('queries page by 100 IDs, at most 3 pages a site', () => {
    const many = Array.from({ length: 350 }, (_, index) => ({ usageType: 'Generic', templateCode: String(1000 + index) }));
    const queries = templateQueries({ templates: many });
    assert.deepEqual(queries.map(({ params }) => params.TemplateIdSet.length), [100, 100, 100]);
    // The IDs past the third page are said to be unchecked, never passed over in silence.
    const answers = queries.map(({ params }) => ({
      response: { DescribeTemplateStatusSet: params.TemplateIdSet.map((id) => ({ TemplateId: id, International: 0, StatusCode: 0, TemplateContent: '{1}' })) },
    }));
    const report = templateReport({ templates: many }, answers);
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.notes, ['50 template IDs not checked: the check reads at most 300 per site.']);
  });

  test('placeholders count by their highest number', () => {
    assert.equal(placeholders('Your code is {1}, valid for {2} minutes.'), 2);
    assert.equal(placeholders('{1} and {1}, {x} and {}'), 1);
    assert.equal(placeholders('none'), 0);
  });

  test('another failure is a note naming the call, and the answered calls are still checked', () => {
    const config = { signName, signId: '1', templates: [{ usageType: 'Generic', templateCode: '1', internationalTemplateCode: '2' }] };
    const report = templateReport(config, [
      { error: { message: 'no answer in time' } },
      { response: { DescribeTemplateStatusSet: [{ TemplateId: 2, International: 1, StatusCode: -1, ReviewReply: '', TemplateContent: '{1}' }] } },
      { response: { DescribeSignListStatusSet: [{ SignId: 1, International: 0, StatusCode: 1, SignName: signName }] } },
    ]);
    assert.deepEqual(report.notes, ['Not checked: DescribeSmsTemplateList failed (no answer in time).']);
    assert.deepEqual(report.problems, ['signName "腾讯云" is not approved (in review).', 'Generic: template 2 is not approved (rejected).']);
  });
});

describe("the local Tencent server's Describe actions", () => {
  let server;
  before(async () => {
    server = await start({ templates: approved });
  });
  const call = async (action, body) => {
    const { engine } = await import('../pkg/lib/node.js');
    return engine.callTencent(makeConfig(server.url), action, body).catch((error) => error.data);
  };

  test('lists templates in pages by Limit and Offset when no IDs are given', async () => {
    const first = await call('DescribeSmsTemplateList', { International: 0, Limit: 3, Offset: 0 });
    assert.deepEqual(first.DescribeTemplateStatusSet.map(({ TemplateId }) => TemplateId), [100001, 100002, 100003]);
    const next = await call('DescribeSmsTemplateList', { International: 0, Limit: 3, Offset: 3 });
    assert.deepEqual(next.DescribeTemplateStatusSet.map(({ TemplateId }) => TemplateId), [100004]);
    const international = await call('DescribeSmsTemplateList', { International: 1, Limit: 100, Offset: 0 });
    assert.deepEqual(international.DescribeTemplateStatusSet.map(({ TemplateId, TemplateContent }) => [TemplateId, TemplateContent]), [[200004, 'Your code is {1}.']]);
  });

  test('refuses what Tencent refuses', async () => {
    assert.equal((await call('DescribeSmsTemplateList', { TemplateIdSet: [1] })).tencentCode, 'MissingParameter');
    assert.equal((await call('DescribeSmsTemplateList', { International: 2 })).tencentCode, 'InvalidParameterValue');
    assert.equal((await call('DescribeSmsTemplateList', { International: 0, Limit: 101 })).tencentCode, 'InvalidParameterValue.LimitVerifyFail');
    assert.equal((await call('DescribeSmsTemplateList', { International: 0, TemplateIdSet: Array.from({ length: 101 }, (_, index) => index) })).tencentCode, 'InvalidParameterValue');
    assert.equal((await call('DescribeSmsSignList', { International: 0 })).tencentCode, 'MissingParameter');
    assert.equal((await call('DescribeSmsSignList', { International: 0, SignIdSet: ['1'] })).tencentCode, 'InvalidParameter');
    assert.equal((await call('DescribeSmsSignList', { International: 0, SignIdSet: [1], Name: 'x' })).tencentCode, 'UnknownParameter');
  });
});
