// The packed package, installed as `logto connector add` does and loaded by Logto's own loader,
// sending through the local Tencent server that verifies every signature.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  ConnectorError,
  ConnectorErrorCodes,
  connectorMetadataGuard,
  validateConfig as hostValidateConfig,
} from '@logto/connector-kit';
import { ZodError } from 'zod';

import { everythingPrinted, makeConfig, secretId, secretKey, templateCodeFor, templateTypes } from '../tests/support/fixtures.js';
import { validConfig } from '../tests/support/valid-config.js';

const { sdkAppId, signName } = validConfig();
import { connectorId, installLikeLogto, loadWithLogtoLoader } from '../tests/support/logto-host.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

let server;
let install;
let loaded;
let config;

const throwingGetConfig = () => {
  throw new ConnectorError(ConnectorErrorCodes.NotImplemented);
};

/** A connector as Logto builds it for one request. */
const connectorFor = async (getConfig = throwingGetConfig) => {
  const { rawConnector } = await loaded.buildRawConnector(loaded.factory, getConfig);
  return rawConnector;
};

// The last SMS: a console Test also reads the templates after it (DescribeSmsTemplateList).
const lastRequest = () => server.requests.findLast(({ action }) => action === 'SendSms');

before(async () => {
  server = await startTencentServer({ credentials: { [secretId]: secretKey } });
  config = makeConfig(server.url);
  install = installLikeLogto();
  loaded = await loadWithLogtoLoader(install.connectorsDir);
});

after(async () => {
  await server?.close();
  install?.cleanup();
});

describe('loading', () => {
  test("Logto's loader finds the package and builds its factory", () => {
    assert.deepEqual(loaded.packages.map(({ name }) => name), [install.name]);
    assert.match(install.name, /^(@[^/]+\/)?connector-/);
    assert.ok(loaded.factory, 'the loader skipped the package: see the [load-connector] log above');
    assert.equal(loaded.factory.type, 'Sms');
  });

  test('metadata keeps the official id and passes connector-kit’s guard', () => {
    const parsed = connectorMetadataGuard.safeParse(loaded.factory.metadata);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.equal(loaded.factory.metadata.id, connectorId);
    assert.match(loaded.factory.metadata.logo, /^data:image\/svg\+xml;base64,/);
    assert.match(loaded.factory.metadata.readme, /Tencent/);
  });

  // Which fields and types the form lists is checked against index.d.ts and the validator in
  // one-source.test.js; here, what Logto's loader hands the console.
  test('the loaded formItems keep the secret confidential and prefill only the required types', () => {
    const items = new Map(loaded.factory.metadata.formItems.map((item) => [item.key, item]));
    assert.equal(items.get('accessKeySecret').isConfidential, true);
    // A prefilled placeholder for an optional type would invite an entry that shadows Generic.
    assert.deepEqual(items.get('templates').defaultValue.map(({ usageType }) => usageType), ['SignIn', 'Register', 'ForgotPassword', 'Generic']);
  });

  test('the package depends on the host kit with a range that 4.7+ and 5.x satisfy, and on nothing else but zod', async () => {
    const manifest = JSON.parse(readFileSync(path.join(install.packageDir, 'package.json'), 'utf8'));
    const { satisfies } = await import('semver');
    for (const version of ['4.7.0', '5.0.0', '5.1.1', '5.9.0']) {
      assert.ok(satisfies(version, manifest.dependencies['@logto/connector-kit']), version);
    }
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['@logto/connector-kit', 'zod']);
    assert.equal(manifest.type, 'module');
  });

  test('creating the connector never calls getConfig', async () => {
    let calls = 0;
    await connectorFor(() => {
      calls += 1;
      throw new Error('must not be called');
    });
    assert.equal(calls, 0);
  });
});

describe('sending', () => {
  test('every template type sends its own template with only the code, to an E.164 number', async () => {
    const connector = await connectorFor(async () => config);
    for (const [index, type] of templateTypes.entries()) {
      const to = `86137111${String(10_000 + index)}`;
      const result = await connector.sendMessage({ to, type, payload: { code: `12345${index}`, locale: 'en' } });
      const request = lastRequest();
      assert.equal(request.signatureValid, true);
      assert.deepEqual(request.body.PhoneNumberSet, [`+${to}`]);
      assert.equal(request.body.TemplateId, templateCodeFor(type));
      assert.deepEqual(request.body.TemplateParamSet, [`12345${index}`]);
      assert.equal(request.body.SmsSdkAppId, sdkAppId);
      assert.equal(request.body.SignName, signName);
      assert.equal(result.phoneNumber, `+${to}`);
      assert.equal(result.isoCode, 'CN');
      assert.ok(result.requestId && result.serialNo);
    }
  });

  test('locale and uiLocales never become template parameters', async () => {
    const connector = await connectorFor(async () => config);
    await connector.sendMessage({
      to: '8613711112222',
      type: 'SignIn',
      payload: { code: '654321', locale: 'fr', uiLocales: 'fr-CA fr en', extra: 'x' },
    });
    assert.deepEqual(lastRequest().body.TemplateParamSet, ['654321']);
  });

  test('a foreign number keeps its country code instead of being read as mainland China', async () => {
    const connector = await connectorFor(async () => config);
    const result = await connector.sendMessage({ to: '14155550123', type: 'SignIn', payload: { code: '111111' } });
    assert.deepEqual(lastRequest().body.PhoneNumberSet, ['+14155550123']);
    assert.equal(result.isoCode, 'US');
  });

  test('an unknown message type falls back to the Generic template', async () => {
    const connector = await connectorFor(async () => config);
    await connector.sendMessage({ to: '8613711112222', type: 'SomeFutureType', payload: { code: '1' } });
    assert.equal(lastRequest().body.TemplateId, templateCodeFor('Generic'));
  });

  test("the console's Test button: Generic, code 000000, unsaved config passed, getConfig throwing", async () => {
    const connector = await connectorFor();
    const result = await connector.sendMessage({ to: '8613711112222', type: 'Generic', payload: { code: '000000' } }, config);
    assert.equal(result.phoneNumber, '+8613711112222');
    assert.deepEqual(lastRequest().body.TemplateParamSet, ['000000']);
  });

  test('without a config argument the saved config is read with the connector id', async () => {
    const ids = [];
    const connector = await connectorFor(async (id) => {
      ids.push(id);
      return config;
    });
    await connector.sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '1' } });
    assert.deepEqual(ids, [connectorId]);
  });

  test('the server verified every signature it received', () => {
    assert.ok(server.requests.length >= templateTypes.length);
    assert.deepEqual(server.requests.filter((request) => request.signatureValid !== true), []);
  });
});

describe('errors reach Logto as its own ConnectorError', () => {
  // A real send reads the saved config through getConfig; the console's Test button passes the
  // unsaved one. Each gets the error shape Logto displays best (see lib/index.js).
  const message = (data = {}) => ({ to: '8613711112222', type: 'SignIn', payload: { code: '123456' }, ...data });
  const failure = async (promise) => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ConnectorError, `${error?.constructor?.name}: ${error?.message}`);
      assert.doesNotMatch(everythingPrinted(error), new RegExp(secretKey));
      return error;
    }
    assert.fail('expected the send to fail');
  };
  const send = async (overrides = {}, data = {}) => {
    const saved = { ...config, ...overrides };
    const connector = await connectorFor(async () => saved);
    return failure(connector.sendMessage(message(data)));
  };
  const consoleTest = async (overrides = {}, data = {}) => {
    const connector = await connectorFor();
    return failure(connector.sendMessage(message(data), { ...config, ...overrides }));
  };

  const expectTencentError = async (setup, expectedCode, tencentCode) => {
    server.set(setup);
    try {
      const error = await send();
      assert.equal(error.code, expectedCode);
      assert.equal(error.data.tencentCode, tencentCode);
      assert.match(error.data.errorDescription, new RegExp(`^${tencentCode.replaceAll('.', '\\.')}: `));
      assert.ok(error.data.requestId, 'carries Tencent’s RequestId');
      return error;
    } finally {
      server.reset();
    }
  };

  test('wrong keys → invalid_config, saying which field to check', async () => {
    const error = await expectTencentError({ requestCode: 'AuthFailure.SecretIdNotFound' }, 'invalid_config', 'AuthFailure.SecretIdNotFound');
    assert.match(error.data.message, /accessKeyId/);
  });

  test('a per-number frequency limit → rate_limit_exceeded', async () => {
    await expectTencentError(
      { numberCodes: { '+8613711112222': 'LimitExceeded.PhoneNumberDailyLimit' } },
      'rate_limit_exceeded',
      'LimitExceeded.PhoneNumberDailyLimit',
    );
  });

  // Logto's sign-in page offers the password page for this code (see the guide).
  test('an empty SMS package → usage_limit_exceeded', async () => {
    assert.equal(ConnectorErrorCodes.UsageLimitExceeded, 'usage_limit_exceeded', 'the host kit has the code');
    await expectTencentError(
      { requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' },
      'usage_limit_exceeded',
      'FailedOperation.InsufficientBalanceInSmsPackage',
    );
  });

  // Every code Tencent declares that a send can get, as the core's table judges it (derived
  // from the table by tests/tencent_codes.rs), through a saved-config send in Logto's loader.
  test('every declared Tencent code, as a request error and per number, is judged as the table says', async () => {
    const judgements = JSON.parse(readFileSync(new URL('../tests/fixtures/tencent-code-judgements.json', import.meta.url), 'utf8'));
    const fallback = 'See Tencent Cloud SMS';
    assert.ok(Object.keys(judgements).length >= 90);
    for (const [tencentCode, expected] of Object.entries(judgements)) {
      for (const setup of [{ requestCode: tencentCode }, { numberCodes: { '+8613711112222': tencentCode } }]) {
        server.set(setup);
        const error = await send();
        const where = `${tencentCode} ${JSON.stringify(setup)}`;
        assert.equal(error.code, expected.logto, where);
        assert.equal(error.data.tencentCode, tencentCode, where);
        assert.equal(error.data.delivery ?? null, expected.delivery, where);
        assert.ok(error.data.message.includes(expected.advice), where);
        assert.ok(!error.data.message.includes(fallback), `${where}: generic advice`);
        const attempts = server.requests.length;
        if (expected.retry === null) {
          assert.equal(attempts, 1, `${where} was sent again`);
        } else {
          assert.ok(attempts > 1, `${where} was not retried`);
        }
        server.reset();
      }
    }
  });

  test('a wrong secret is caught by the server’s signature check → invalid_config', async () => {
    const error = await send({ accessKeySecret: 'not-the-right-secret-at-all' });
    assert.equal(error.code, 'invalid_config');
    assert.equal(error.data.tencentCode, 'AuthFailure.SignatureFailure');
    assert.doesNotMatch(everythingPrinted(error), /not-the-right-secret-at-all/);
  });

  test('no matching template and no Generic → template_not_found', async () => {
    const error = await send({ templates: config.templates.filter(({ usageType }) => !['BindMfa', 'Generic'].includes(usageType)) }, { type: 'BindMfa' });
    assert.match(error.data.message, /BindMfa/);
    assert.equal(error.code, 'template_not_found');
  });

  test('a malformed phone number → invalid_request_parameters saying why', async () => {
    const error = await send({}, { to: '12ab' });
    assert.equal(error.code, 'invalid_request_parameters');
    assert.match(error.data.message, /digits/);
  });

  test('an invalid saved config → invalid_config with a host ZodError naming each field', async () => {
    const error = await send({ accessKeyId: 42, region: undefined, accessKeySecret: ` ${secretKey} ` });
    assert.equal(error.code, 'invalid_config');
    assert.ok(error.data instanceof ZodError, 'Logto prints a ZodError of its own zod per field');
    assert.deepEqual(error.data.issues.map(({ path }) => path.join('.')), ['accessKeyId', 'region']);
  });

  test('console Test: a Tencent refusal is general, one line with the code, advice and RequestId', async () => {
    server.set({ numberCodes: { '+8613711112222': 'LimitExceeded.PhoneNumberDailyLimit' } });
    try {
      const error = await consoleTest();
      assert.equal(error.code, 'general', 'Logto shows its own text only for general errors');
      assert.equal(error.data.tencentCode, 'LimitExceeded.PhoneNumberDailyLimit');
      assert.match(error.data.errorDescription, /LimitExceeded\.PhoneNumberDailyLimit/);
      assert.match(error.data.errorDescription, /wait/);
      assert.match(error.data.errorDescription, new RegExp(`RequestId: ${error.data.requestId}`));
      assert.doesNotMatch(error.data.errorDescription, /\n/);
    } finally {
      server.reset();
    }
  });

  test('console Test: a transport failure is general and says whether the SMS may have gone out', async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address();
    await new Promise((resolve) => closed.close(resolve));
    const error = await consoleTest({ endpoint: `http://127.0.0.1:${port}` });
    assert.equal(error.code, 'general');
    assert.match(error.data.errorDescription, /127\.0\.0\.1/);
    assert.equal(error.data.delivery, 'not_sent');
  });

  test('console Test: the unsaved form is held to the rules of saving, a missing Generic included', async () => {
    const before = server.requests.length;
    const error = await consoleTest({ templates: config.templates.filter(({ usageType }) => usageType !== 'Generic') });
    assert.equal(error.code, 'invalid_config');
    assert.ok(error.data instanceof ZodError);
    assert.deepEqual(error.data.issues.map(({ path }) => path.join('.')), ['templates']);
    assert.match(error.data.issues[0].message, /Generic/);
    assert.equal(server.requests.length, before, 'nothing was sent');
  });

  test('console Test: an invalid unsaved config is a host ZodError naming each field', async () => {
    const error = await consoleTest({ accessKeyId: 42, region: undefined });
    assert.equal(error.code, 'invalid_config');
    assert.ok(error.data instanceof ZodError);
    assert.deepEqual(error.data.issues.map(({ path }) => path.join('.')), ['accessKeyId', 'region']);
    assert.match(error.data.issues[0].message, /accessKeyId/);
  });
});

describe('configGuard, as Logto validates on save', () => {
  test('a valid config passes unchanged', () => {
    const result = loaded.factory.configGuard.safeParse(config);
    assert.ok(result.success);
    assert.equal(result.data, config);
    assert.doesNotThrow(() => hostValidateConfig(config, loaded.factory.configGuard));
  });

  test("errors are the host zod's ZodError with one issue per field, shown by the console", () => {
    const broken = { ...config, accessKeyId: 1, templates: [{ usageType: 'SignIn', templateCode: '1' }] };
    delete broken.signName;
    try {
      hostValidateConfig(broken, loaded.factory.configGuard);
      assert.fail('expected invalid_config');
    } catch (error) {
      assert.ok(error instanceof ConnectorError);
      assert.equal(error.code, 'invalid_config');
      assert.ok(error.data instanceof ZodError, 'data is a ZodError of the host’s zod');
      assert.deepEqual(error.data.issues.map(({ path }) => path.join('.')), ['accessKeyId', 'signName', 'templates']);
      assert.match(error.data.issues[2].message, /Register, ForgotPassword, Generic/);
    }
  });
});
