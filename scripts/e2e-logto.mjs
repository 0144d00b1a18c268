// `npm run e2e:logto`: the packed connector inside a real Logto core, driven over HTTP the way an
// operator (Management API with an M2M token) and an end user (Experience API, OIDC) would.
// Needs LOGTO_SOURCE (a Logto git checkout or source .tar.gz); everything it starts, it stops.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { build, isStale, pkgDir } from './build.mjs';
import { createLogto } from './e2e/logto.mjs';
import { prepareFrontEnds, prepareLogto } from './e2e/logto-build.mjs';
import { HttpError, endUserSession, managementApi, managementClient } from './e2e/http.mjs';
import { postgresUnavailable, recreateDatabase, startPostgres } from './e2e/postgres.mjs';
import { stopAll, tail } from './e2e/processes.mjs';
import { browserRequired, ensureNodeModules, findChromium, missingBrowserMessage, root } from './toolchain.mjs';

const source = process.env.LOGTO_SOURCE;
if (!source) {
  console.log('[e2e:logto] skipped: set LOGTO_SOURCE to a Logto git checkout or source .tar.gz (git clone https://github.com/logto-io/logto, or ../shared/vendor/logto/logto-src.tar.gz)');
  process.exit(0);
}
// CI must never pass silently: there a missing PostgreSQL is a failure, elsewhere a skip.
const strict = process.env.CI === 'true' || browserRequired();
if (!process.env.DATABASE_URL && postgresUnavailable()) {
  console.log(`[e2e:logto] ${strict ? 'FAIL' : 'skipped'}: ${postgresUnavailable()}`);
  process.exit(strict ? 1 : 0);
}
// The console checks need Chromium; without it they are skipped, unless CI requires a browser.
const chromiumPath = findChromium();
if (!chromiumPath && browserRequired()) {
  console.log(`[e2e:logto] FAIL: REQUIRE_BROWSER=1 but ${missingBrowserMessage}`);
  process.exit(1);
}

const connectorId = 'tencent-short-message-service';
const ourPackage = 'connector-tencent-sms-wasm';
const officialPackage = '@logto/connector-tencent-sms';
const cacheRoot = path.join(root, '.work');
const logDir = path.join(cacheRoot, 'e2e-logto-logs');
// Children find the repo's pinned pnpm (a devDependency) before any global one.
const childEnv = { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` };
delete childEnv.NODE_ENV; // development mode: core accepts the development-user-id bootstrap header

const startedAt = Date.now();
const seconds = () => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
const log = (message) => console.error(`[e2e:logto ${seconds()}] ${message}`);
const results = { passed: 0, failed: 0 };
let tencent; // the in-process fake Tencent server, once started
let redisServer; // section 10's redis-server, once started
const extraServers = []; // other in-process fakes (section 11's second account and gateway)
let interrupted = false; // by SIGINT/SIGTERM: what still runs is being torn down, not tested
const report = (line) => {
  if (!interrupted) {
    console.log(line);
  }
};

/** Runs one named check; a failure is reported and counted, and the run goes on. */
const check = async (name, body) => {
  try {
    await body();
    results.passed += 1;
    report(`ok   ${name}`);
  } catch (error) {
    results.failed += 1;
    report(`FAIL ${name}\n     ${String(error?.message ?? error).split('\n').join('\n     ')}`);
  }
};

/** The HttpError a call rejects with; fails when it succeeds instead. */
const refusal = async (promise) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
};

const packOurs = (into) => {
  if (isStale()) {
    build();
  }
  const name = execFileSync('npm', ['pack', pkgDir, '--pack-destination', into, '--silent'], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  return path.join(into, name);
};

const run = async (workDir) => {
  ensureNodeModules();
  if (!existsSync(path.join(root, 'node_modules', '.bin', 'pnpm'))) {
    throw new Error('node_modules has no pnpm (a pinned devDependency that builds Logto): run npm ci');
  }
  rmSync(logDir, { recursive: true, force: true }); // logs of this run only
  mkdirSync(logDir, { recursive: true });
  const { logtoDir, cached } = await prepareLogto({ source, cacheRoot, logDir, env: childEnv });
  log(`Logto ${cached ? 'from cache' : 'built'}: ${path.relative(root, logtoDir)}`);
  if (chromiumPath) {
    const frontEnds = await prepareFrontEnds({ source, cacheRoot, logDir, env: childEnv, logtoDir });
    log(`Logto console and experience apps ${frontEnds.cached ? 'from cache' : 'built'}`);
  }

  const ourTarball = packOurs(workDir);
  // Imported only now: fixtures need the npm dev dependencies, metadata the freshly built pkg/.
  const { makeConfig, secretId, secretKey, templateCodeFor } = await import('../tests/support/fixtures.js');
  const { startTencentServer } = await import('../tests/support/tencent-server.js');
  const { metadata: ourMetadata } = await import(pathToFileURL(path.join(pkgDir, 'lib', 'metadata.js')).href);
  // A directory, not a tarball: `connector add` prefixes a last path segment lacking `connector-`.
  const officialSource = path.join(root, 'node_modules', officialPackage);

  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    recreateDatabase(databaseUrl, { logDir });
  } else {
    databaseUrl = (await startPostgres({ workDir, logDir })).url;
  }
  log('database ready');

  tencent = await startTencentServer({ credentials: { [secretId]: secretKey } });
  const config = makeConfig(tencent.url);
  const logto = createLogto({ logtoDir, databaseUrl, logDir, env: childEnv });
  logto.seed();
  log('database seeded');
  for (const name of [ourPackage, officialPackage]) {
    logto.removeConnector(name); // left in the cached tree by an interrupted run
  }
  logto.addConnector(ourTarball, ourPackage);

  let core = await logto.startCore();
  log(`core listening on ${core.core} and ${core.admin}`);
  let api = await managementApi(core.core);
  log('management API token obtained');

  const phone = { user: '8613711110001', rateLimited: '8613711110002', testRoute: '8613711112222', jamaica: '18762101234', testNumber: '8613700000001', logOff: '8613711110021', dryRun: '8613711110022' };
  // Logto allows 10 codes per recipient per 10 minutes (message-rate-guard.ts): checks past section 4 that send
  // add a number of their own, so phone.user keeps its budget for section 5.
  // SendSms requests only: a console Test that sent also reads the templates (DescribeSmsTemplateList).
  const sends = () => tencent.requests.filter(({ action }) => action === 'SendSms');
  const lastSend = () => sends().at(-1);
  let connectorRow;

  // --- 1, 2. the factory, refused configs, then a valid connector --------------------------
  await check('1a factory is listed with our metadata', async () => {
    const factory = (await api.get('/connector-factories')).find(({ id }) => id === connectorId);
    assert.ok(factory, `no factory ${connectorId}`);
    assert.equal(factory.type, 'Sms');
    assert.deepEqual(factory.name, ourMetadata.name);
    assert.deepEqual(factory.description, ourMetadata.description);
    assert.deepEqual(factory.formItems.map(({ key }) => key), ourMetadata.formItems.map(({ key }) => key));
    assert.match(factory.logo, /^data:image\/svg\+xml;base64,/);
  });
  const withoutKey = { ...config };
  delete withoutKey.accessKeyId;
  const invalidConfigs = [
    ['missing accessKeyId', withoutKey, /"accessKeyId"/],
    ['no Generic template', { ...config, templates: config.templates.filter(({ usageType }) => usageType !== 'Generic') }, /"templates".*Generic/s],
    ['sdkAppId as a number', { ...config, sdkAppId: 1_400_006_666 }, /"sdkAppId"/],
    ['http:// endpoint on a public host', { ...config, endpoint: 'http://sms.tencentcloudapi.com' }, /"endpoint"/],
  ];
  for (const [what, invalid, detail] of invalidConfigs) {
    await check(`2  ${what}: 400 connector.invalid_config naming the field`, async () => {
      const { status, body } = await refusal(api.post('/connectors', { connectorId, config: invalid }));
      assert.equal(status, 400);
      assert.equal(body.code, 'connector.invalid_config');
      assert.match(body.details ?? '', /Error in key path/);
      assert.match(body.details, detail);
    });
  }
  await check('2  the refused configs created no connector', async () => {
    assert.equal((await api.get('/connectors')).filter((row) => row.connectorId === connectorId).length, 0);
  });
  await check('1b then creating the connector with a valid config succeeds', async () => {
    connectorRow = await api.post('/connectors', { connectorId, config });
    assert.equal(connectorRow.connectorId, connectorId);
    assert.deepEqual(connectorRow.config, config);
  });

  // --- 3. the console's Test route and Tencent's error answers -----------------------------
  const testSend = () => api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config });
  await check('3a Test route sends a signed SendSms with +E.164 and [code] to the local server', async () => {
    tencent.reset();
    await testSend();
    assert.equal(sends().length, 1);
    // Then the Test's template check: the form's templates, all mainland, in one signed call.
    const describe = tencent.requests.filter(({ action }) => action === 'DescribeSmsTemplateList');
    assert.equal(describe.length, 1);
    assert.equal(describe[0].signatureValid, true);
    assert.equal(describe[0].body.International, 0);
    assert.equal(tencent.requests.length, 2);
    const { body, signatureValid, answeredCode } = lastSend();
    assert.equal(signatureValid, true);
    assert.equal(answeredCode, null);
    assert.deepEqual(body.PhoneNumberSet, [`+${phone.testRoute}`]);
    assert.deepEqual(body.TemplateParamSet, ['000000']);
    assert.equal(body.TemplateId, templateCodeFor('Generic'));
  });
  await check('3a2 with signId the Test also checks the signature (a signed DescribeSmsSignList); one naming another signature fails it as one general line', async () => {
    tencent.reset();
    // The local server's signature 1110 is named signNames[0], 'Tencent' when none is given.
    const signed = { ...config, signName: 'Tencent', signId: '1110' };
    await api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config: signed });
    const [sign, ...more] = tencent.requests.filter(({ action }) => action === 'DescribeSmsSignList');
    assert.equal(more.length, 0);
    assert.equal(sign.signatureValid, true);
    assert.deepEqual(sign.body.SignIdSet, [1110]);
    const { status, body } = await refusal(api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config: { ...signed, signName: 'Other' } }));
    assert.equal(status, 400);
    assert.equal(body.code, 'connector.general');
    assert.match(body.message, /The test SMS was sent \(RequestId [0-9a-f-]{36}\)\. Fix before users meet it: /);
    assert.match(body.message, /signId 1110 is the signature "Tencent", not signName "Other"/);
    tencent.reset();
  });
  await check('3b Test route: a Tencent refusal is 400 general with the Tencent code and RequestId', async () => {
    tencent.reset();
    tencent.set({ numberCodes: { [`+${phone.testRoute}`]: 'LimitExceeded.PhoneNumberDailyLimit' } });
    const { status, body } = await refusal(testSend());
    assert.equal(status, 400);
    assert.equal(body.code, 'connector.general');
    assert.match(body.message, /LimitExceeded\.PhoneNumberDailyLimit/);
    assert.match(body.message, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    assert.equal(lastSend().signatureValid, true);
  });

  // --- 4. an end user signs in with a phone code ---------------------------------------------
  // Registration is off; Logto still wants the sign-up identifiers among the sign-in methods.
  await api.patch('/sign-in-exp', {
    signInMode: 'SignIn',
    signUp: { identifiers: ['phone'], password: false, verify: true },
    signIn: { methods: [{ identifier: 'phone', password: false, verificationCode: true, isPasswordPrimary: false }] },
    mfa: { factors: [], policy: 'UserControlled' },
  });
  const user = await api.post('/users', { primaryPhone: phone.user, name: 'e2e phone user' });
  // With registration off, Logto skips delivery to a number no user has (no account enumeration).
  await api.post('/users', { primaryPhone: phone.rateLimited, name: 'e2e rate-limited user' });
  await api.post('/users', { primaryPhone: phone.jamaica, name: 'e2e user in a country the policy refuses' });
  const redirectUri = 'http://127.0.0.1/e2e-callback'; // never fetched: the code is read off the redirect
  const spa = await api.post('/applications', { name: 'e2e SPA', type: 'SPA', oidcClientMetadata: { redirectUris: [redirectUri], postLogoutRedirectUris: [] } });

  /** A new browser session with a SignIn interaction, ready to request a code. */
  const signInSession = async (language = {}) => {
    const session = endUserSession(core.core, { clientId: spa.id, redirectUri, ...language });
    await session.start();
    await session.experience.put('', { interactionEvent: 'SignIn' });
    return session;
  };
  const requestCode = (session, value) =>
    session.experience.post('/verification/verification-code', { identifier: { type: 'phone', value }, interactionEvent: 'SignIn' });

  /**
   * The whole sign-in, with the code read off the SendSms the local server received; resolves to
   * the token response. `sentNumber` is the form the connector puts in PhoneNumberSet.
   */
  const signIn = async ({ number = phone.user, sentNumber = `+${number}` } = {}) => {
    tencent.reset();
    const session = await signInSession();
    const identifier = { type: 'phone', value: number };
    const { verificationId } = await requestCode(session, number);
    assert.equal(sends().length, 1, 'exactly one SendSms per requested code');
    const { body, signatureValid } = lastSend();
    assert.equal(signatureValid, true);
    assert.deepEqual(body.PhoneNumberSet, [sentNumber]);
    assert.equal(body.TemplateId, templateCodeFor('SignIn'));
    assert.equal(body.TemplateParamSet.length, 1, 'only the code is a template parameter');
    const [code] = body.TemplateParamSet;
    assert.match(code, /^\d{6}$/);
    await session.experience.post('/verification/verification-code/verify', { identifier, verificationId, code });
    await session.experience.post('/identification', { verificationId });
    const { redirectTo } = await session.experience.post('/submit');
    return session.finish(redirectTo);
  };
  const assertSignedIn = (tokens, as = user) => {
    assert.ok(tokens.access_token, 'no access token');
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
    assert.equal(claims.sub, as.id);
  };

  await check('4  phone + code sign-in through the Experience API ends in a token exchange', async () => {
    assertSignedIn(await signIn());
  });
  await check('3c real send: Tencent rate limit is 429 connector.rate_limit_exceeded', async () => {
    tencent.reset();
    tencent.set({ numberCodes: { [`+${phone.rateLimited}`]: 'LimitExceeded.PhoneNumberDailyLimit' } });
    const { status, body } = await refusal(requestCode(await signInSession(), phone.rateLimited));
    assert.equal(sends().length, 1, 'one SendSms reached the local server');
    assert.equal(status, 429);
    assert.equal(body.code, 'connector.rate_limit_exceeded');
  });
  await check('3d real send: Tencent auth failure is 400 connector.invalid_config', async () => {
    tencent.reset();
    tencent.set({ requestCode: 'AuthFailure.SecretIdNotFound' });
    const { status, body } = await refusal(requestCode(await signInSession(), phone.user));
    assert.equal(sends().length, 1, 'one SendSms reached the local server');
    assert.equal(status, 400);
    assert.equal(body.code, 'connector.invalid_config');
  });
  await check('3e real send: an empty SMS package is 429 connector.usage_limit_exceeded', async () => {
    tencent.reset();
    tencent.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    const { status, body } = await refusal(requestCode(await signInSession(), phone.user));
    assert.equal(sends().length, 1, 'one SendSms reached the local server');
    assert.equal(status, 429);
    assert.equal(body.code, 'connector.usage_limit_exceeded');
  });
  // A mainland-only countryPolicy: Logto's sign-in page shows a general error's description.
  const mainlandOnly = { ...config, countryPolicy: { allow: ['CN'] } };
  await check('3g countryPolicy: a refused number in an Experience sign-in is 400 general with the readable sentence, no SendSms', async () => {
    await api.patch(`/connectors/${connectorRow.id}`, { config: mainlandOnly });
    try {
      tencent.reset();
      const { status, body } = await refusal(requestCode(await signInSession(), phone.jamaica));
      assert.equal(status, 400);
      assert.equal(body.code, 'connector.general');
      assert.equal(
        body.message,
        'Error occurred in connector: SMS to phone numbers in this country or region is not offered: use another phone number or another way to sign in.',
      );
      assert.match(body.data?.message ?? '', /^countryPolicy\.allow \(no entry matches\) blocks this number \(JM, \+1876…\)/);
      assert.equal(sends().length, 0, 'the local server saw no request');
      // The same saved policy lets a mainland number through.
      await requestCode(await signInSession(), phone.user);
      assert.equal(sends().length, 1);
    } finally {
      await api.patch(`/connectors/${connectorRow.id}`, { config });
    }
  });
  await check('3h countryPolicy: the Test route of a refused number names the entry that blocked it', async () => {
    tencent.reset();
    const policy = { ...config, countryPolicy: { allow: ['CN', '+1', '!JM'] } };
    const { status, body } = await refusal(api.post(`/connectors/${connectorId}/test`, { phone: phone.jamaica, config: policy }));
    assert.equal(status, 400);
    assert.equal(body.code, 'connector.general');
    assert.match(body.message, /countryPolicy\.allow\[2\] "!JM" blocks this number \(JM, \+1876…\)/);
    assert.equal(sends().length, 0);
  });
  tencent.reset();

  // --- 9. codes in the user's language: templates[].locale -------------------------------------
  // zh-CN defaults (the fixtures) plus French, Japanese and English entries, saved on the row.
  const localised = {
    fr: '510001', frGeneric: '510005', ja: '520001', jaGeneric: '520005', enGeneric: '530005',
  };
  const localisedConfig = {
    ...config,
    templates: [
      ...config.templates,
      { usageType: 'SignIn', locale: 'fr', templateCode: localised.fr },
      { usageType: 'Generic', locale: 'fr', templateCode: localised.frGeneric },
      { usageType: 'SignIn', locale: 'ja', templateCode: localised.ja },
      { usageType: 'Generic', locale: 'ja', templateCode: localised.jaGeneric },
      { usageType: 'Generic', locale: 'en', templateCode: localised.enGeneric },
    ],
  };
  phone.locale = '8613711110005';
  await api.post('/users', { primaryPhone: phone.locale, name: 'e2e locale user' });
  const { languageInfo } = await api.get('/sign-in-exp');
  /** The TemplateId of the one SendSms a SignIn code request in this browser language made. */
  const signInTemplate = async (language) => {
    tencent.reset();
    await requestCode(await signInSession(language), phone.locale);
    assert.equal(sends().length, 1, 'exactly one SendSms per requested code');
    assert.equal(lastSend().signatureValid, true);
    assert.equal(lastSend().body.TemplateParamSet.length, 1, 'only the code is a template parameter');
    return lastSend().body.TemplateId;
  };
  await check('9a a config with templates[].locale is saved on the connector row', async () => {
    const row = await api.patch(`/connectors/${connectorRow.id}`, { config: localisedConfig });
    assert.deepEqual(row.config, localisedConfig);
  });
  await check('9b an Experience sign-in started with ui_locales=fr sends the French template', async () => {
    assert.equal(await signInTemplate({ uiLocales: 'fr' }), localised.fr);
  });
  await check('9c Accept-Language: ja with auto-detect on sends the Japanese template; off, the fallback language', async () => {
    await api.patch('/sign-in-exp', { languageInfo: { autoDetect: true, fallbackLanguage: 'en' } });
    assert.equal(await signInTemplate({ acceptLanguage: 'ja' }), localised.ja);
    // Without auto-detect Logto passes its fallback language, en: English Generic beats SignIn's default.
    await api.patch('/sign-in-exp', { languageInfo: { autoDetect: false, fallbackLanguage: 'en' } });
    assert.equal(await signInTemplate({ acceptLanguage: 'ja' }), localised.enGeneric);
  });
  await api.patch('/sign-in-exp', { languageInfo });
  await check('9d a Management API verification code (no locale) sends the default Generic template', async () => {
    tencent.reset();
    await api.post('/verification-codes', { phone: '8613711110006' });
    assert.equal(sends().length, 1, 'one SendSms reached the local server');
    assert.equal(lastSend().body.TemplateId, templateCodeFor('Generic'));
  });
  await check('9e the console Test route: no locale sends the default, locale "en" the English template', async () => {
    tencent.reset();
    await api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config: localisedConfig });
    assert.equal(lastSend().body.TemplateId, templateCodeFor('Generic'));
    await api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config: localisedConfig, locale: 'en' });
    assert.equal(lastSend().body.TemplateId, localised.enGeneric);
    assert.equal(sends().length, 2);
  });
  await check('9f a bad locale tag is refused on save, naming the entry', async () => {
    const bad = { ...config, templates: [...config.templates, { usageType: 'SignIn', locale: 'fr_FR', templateCode: '1' }] };
    const { status, body } = await refusal(api.patch(`/connectors/${connectorRow.id}`, { config: bad }));
    assert.equal(status, 400);
    assert.equal(body.code, 'connector.invalid_config');
    assert.match(body.details, new RegExp(`Error in key path "templates\\.${config.templates.length}\\.locale": .*BCP 47`));
  });
  await api.patch(`/connectors/${connectorRow.id}`, { config });
  tencent.reset();

  // --- 10. send limits shared through Logto's Redis, behind a proxy ----------------------------
  // Core restarted as a scaled-out Logto behind a proxy runs: REDIS_URL (a redis-server started
  // here) and TRUST_PROXY_HEADER=1, so `ip` is the X-Forwarded-For address each session sends.
  const { findRedisServer, missingRedisMessage, redisRequired, startRedisServer } = await import('../tests/support/redis-server.js');
  if (!findRedisServer()) {
    if (strict || redisRequired()) {
      await check('10 send limits through Redis', () => {
        throw new Error(missingRedisMessage);
      });
    } else {
      report(`skip 10 send limits through Redis: ${missingRedisMessage}`);
    }
  } else {
    redisServer = await startRedisServer();
    await core.stop();
    core = await logto.startCore({ extraEnv: { REDIS_URL: redisServer.url, TRUST_PROXY_HEADER: '1' } });
    api = await managementApi(core.core);
    log(`core restarted with REDIS_URL=${redisServer.url} and TRUST_PROXY_HEADER=1`);
    const limited = { ...config, sendLimits: [{ by: 'ip', max: 3, perSeconds: 3600 }, { by: 'country', max: 1000, perSeconds: 86400 }] };
    // Registration is off: Logto sends codes only to numbers a user has.
    const limitedUsers = ['8613711120001', '8613711120002', '8613711120003', '8613711120004', '8613711120005', '8613711120006'];
    for (const [index, primaryPhone] of limitedUsers.entries()) {
      await api.post('/users', { primaryPhone, name: `e2e send-limits user ${index + 1}` });
    }
    const fromAddress = async (forwardedFor, number) => {
      const session = endUserSession(core.core, { clientId: spa.id, redirectUri, forwardedFor });
      await session.start();
      await session.experience.put('', { interactionEvent: 'SignIn' });
      return session.experience.post('/verification/verification-code', { identifier: { type: 'phone', value: number }, interactionEvent: 'SignIn' });
    };
    try {
      await api.patch(`/connectors/${connectorRow.id}`, { config: limited });
      await check('10a Experience sends from one X-Forwarded-For address: 3 sent, then 429 connector.rate_limit_exceeded and no SendSms', async () => {
        tencent.reset();
        for (const number of limitedUsers.slice(0, 3)) {
          await fromAddress('203.0.113.77', number);
        }
        assert.equal(sends().length, 3);
        for (const number of limitedUsers.slice(3, 5)) {
          const { status, body } = await refusal(fromAddress('203.0.113.77', number));
          assert.equal(status, 429);
          assert.equal(body.code, 'connector.rate_limit_exceeded');
        }
        assert.equal(sends().length, 3, 'the local server saw no request for the refused sends');
      });
      await check("10b the counters are in Logto's Redis under the account's key; another address is counted apart", async () => {
        const { createClient } = await import('redis');
        const inspect = createClient({ url: redisServer.url });
        await inspect.connect();
        try {
          const key = `tencent-sms-limit:{${config.sdkAppId}}:ip:3/3600:203.0.113.77`;
          assert.equal(await inspect.get(key), '3', 'refused sends are not counted');
          assert.ok((await inspect.pTTL(key)) > 3_500_000, 'the key expires with its window');
        } finally {
          await inspect.disconnect();
        }
        tencent.reset();
        await fromAddress('198.51.100.77', limitedUsers[5]);
        assert.equal(sends().length, 1);
      });
      await check("10c the console's Test route from loopback sends, then says ip rules were not applied and why", async () => {
        tencent.reset();
        const { status, body } = await refusal(api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config: limited }));
        assert.equal(status, 400);
        assert.equal(body.code, 'connector.general');
        assert.match(body.message, /The test SMS was sent \(RequestId [\w-]+\)\. sendLimits' ip rules were not applied to this send: Logto passed 127\.0\.0\.1, a loopback address/);
        assert.equal(sends().length, 1, 'the test SMS went out');
      });
      await check('10d trustedIps: the address past its ip limit sends again, and a Test from a trusted loopback passes without the note', async () => {
        const trusted = { ...limited, trustedIps: ['203.0.113.0/24', '127.0.0.1/32'] };
        await api.patch(`/connectors/${connectorRow.id}`, { config: trusted });
        tencent.reset();
        await fromAddress('203.0.113.77', limitedUsers[3]);
        assert.equal(sends().length, 1, 'the trusted address is not held to the ip rule');
        // Resolves only on a 2xx: a Test that failed with the note would throw here.
        await api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config: trusted });
        assert.equal(sends().length, 2);
      });
    } finally {
      await api.patch(`/connectors/${connectorRow.id}`, { config });
      tencent.reset();
    }
  }
  // --- 11. fallback: an empty SMS package, and the code comes through the second route ---------
  // A second fake Tencent account and a fake gateway for @logto/connector-http-sms's payload.
  const { startHttpGateway } = await import('../tests/support/http-gateway.js');
  const secondAccount = { id: 'AKIDsecondaccount0000000000000000000', key: 'SecondSecretKey0123456789abcdefgh' };
  const secondTencent = await startTencentServer({ credentials: { [secondAccount.id]: secondAccount.key } });
  const gatewayToken = 'Bearer e2e-gateway-token';
  const gateway = await startHttpGateway({ authorization: gatewayToken });
  extraServers.push(secondTencent, gateway);
  const tencentFallback = { type: 'tencent', ...makeConfig(secondTencent.url), accessKeyId: secondAccount.id, accessKeySecret: secondAccount.key };
  const httpFallback = { type: 'http', endpoint: gateway.url, authorization: gatewayToken };
  /**
   * A phone sign-in with the primary answering InsufficientBalanceInSmsPackage: the code is read
   * off what the fallback received (`codeOf`), and the sign-in completes with it.
   */
  const signInThroughFallback = async (codeOf) => {
    tencent.reset();
    secondTencent.reset();
    gateway.reset();
    tencent.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    const session = await signInSession();
    const identifier = { type: 'phone', value: phone.user };
    const { verificationId } = await requestCode(session, phone.user);
    assert.equal(sends().length, 1, 'one SendSms to the primary');
    assert.equal(sends()[0].answeredCode, 'FailedOperation.InsufficientBalanceInSmsPackage');
    const code = codeOf();
    assert.match(code, /^\d{6}$/);
    await session.experience.post('/verification/verification-code/verify', { identifier, verificationId, code });
    await session.experience.post('/identification', { verificationId });
    const { redirectTo } = await session.experience.post('/submit');
    return session.finish(redirectTo);
  };
  const withFallback = (fallback, cooldown = 0) => ({ ...config, fallback, fallbackCooldownSeconds: cooldown });
  await check('11a a config with a second Tencent account as fallback is saved on the connector row', async () => {
    const row = await api.patch(`/connectors/${connectorRow.id}`, { config: withFallback(tencentFallback) });
    assert.deepEqual(row.config, withFallback(tencentFallback));
  });
  await check('11b empty package on the primary: a phone sign-in completes with the code the second account delivered', async () => {
    assertSignedIn(await signInThroughFallback(() => {
      assert.equal(secondTencent.requests.length, 1, 'exactly one SendSms to the second account');
      const { body, signatureValid } = secondTencent.requests[0];
      assert.equal(signatureValid, true, 'signed with the second account\'s key');
      assert.deepEqual(body.PhoneNumberSet, [`+${phone.user}`]);
      return body.TemplateParamSet[0];
    }));
  });
  await check('11c the same with an HTTP gateway: it gets { to, type, payload, ip? } with the Authorization, and the sign-in completes', async () => {
    await api.patch(`/connectors/${connectorRow.id}`, { config: withFallback(httpFallback) });
    assertSignedIn(await signInThroughFallback(() => {
      assert.equal(gateway.requests.length, 1, 'exactly one POST to the gateway');
      const [{ body, problem, headers }] = gateway.requests;
      assert.equal(problem, null, 'the request @logto/connector-http-sms would send');
      assert.equal(headers.authorization, gatewayToken);
      assert.equal(body.to, phone.user);
      assert.equal(body.type, 'SignIn');
      return body.payload.code;
    }));
    assert.equal(secondTencent.requests.length, 0);
  });
  await check('11d within fallbackCooldownSeconds the next sign-in code goes straight to the fallback', async () => {
    await api.patch(`/connectors/${connectorRow.id}`, { config: withFallback(httpFallback, 60) });
    await signInThroughFallback(() => gateway.requests[0].body.payload.code);
    tencent.reset();
    gateway.reset();
    await requestCode(await signInSession(), phone.user);
    assert.equal(sends().length, 0, 'the primary is skipped while it cools down');
    assert.equal(gateway.requests.length, 1);
  });
  await check('11e the console Test route says the test SMS went through the fallback and why the primary refused', async () => {
    tencent.reset();
    secondTencent.reset();
    tencent.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    // Another SDK app: a primary of its own, not cooling down.
    const testConfig = { ...withFallback(tencentFallback), sdkAppId: '1400005555' };
    const { status, body } = await refusal(api.post(`/connectors/${connectorId}/test`, { phone: phone.testRoute, config: testConfig }));
    assert.equal(status, 400);
    assert.equal(body.code, 'connector.general');
    assert.match(body.message, /The test SMS was sent through the fallback route, not the primary/);
    assert.match(body.message, /FailedOperation\.InsufficientBalanceInSmsPackage/);
    assert.equal(secondTencent.requests.length, 1, 'the test SMS was sent once, by the second account');
  });
  await api.patch(`/connectors/${connectorRow.id}`, { config });
  tencent.reset();

  // --- 12. one event per send on core's stdout (sendLog, on by default) -----------------------
  const coreLog = path.join(logDir, 'logto-core.log');
  /** The send events core wrote after byte `from` of its log. */
  const eventsSince = (from) =>
    readFileSync(coreLog).subarray(from).toString('utf8').split('\n').filter((line) => line.includes('"event":"tencent_sms_send"')).map((line) => JSON.parse(line.slice(line.indexOf('{'))));
  /** eventsSince(from), once there are any: written before sendMessage resolved, but through a pipe to the log file. */
  const eventsAfter = async (from) => {
    let events = [];
    for (let attempt = 0; attempt < 20 && events.length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      events = eventsSince(from);
    }
    return events;
  };
  await check("12 a phone sign-in leaves exactly one send event on core's stdout, with the fake server's RequestId", async () => {
    const from = readFileSync(coreLog).length;
    assertSignedIn(await signIn());
    const [{ requestId, body }] = tencent.requests;
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    const events = await eventsAfter(from);
    assert.equal(events.length, 1, `one event for one send: ${JSON.stringify(events)}`);
    const [event] = events;
    assert.equal(event.requestId, requestId);
    assert.equal(event.outcome, 'sent');
    assert.equal(event.id, body.SessionContext, 'the send id went to Tencent as SessionContext');
    assert.equal(event.to, '+86…01');
    assert.equal(event.attempts, 1);
    const line = JSON.stringify(event);
    for (const secret of [phone.user, body.TemplateParamSet[0], secretKey]) {
      assert.ok(!line.includes(secret), 'no full number, code or secret in the event');
    }
  });
  await check('12b with sendLog "off" saved, a sign-in writes no event and sends no SessionContext', async () => {
    const logOffUser = await api.post('/users', { primaryPhone: phone.logOff, name: 'e2e sendLog off user' });
    await api.patch(`/connectors/${connectorRow.id}`, { config: { ...config, sendLog: 'off' } });
    try {
      tencent.reset();
      const from = readFileSync(coreLog).length;
      assertSignedIn(await signIn({ number: phone.logOff }), logOffUser);
      const [{ body }] = tencent.requests;
      assert.equal(body.SessionContext, undefined);
      assert.deepEqual(await eventsAfter(from), []);
    } finally {
      await api.patch(`/connectors/${connectorRow.id}`, { config });
    }
  });
  // --- 13. test numbers: codes in Logto's mock SMS file, nothing sent to Tencent -------------
  // The file connector-kit's mockConnectorFilePaths.Sms names, which Logto's own mock connector
  // writes and its integration tests read (one JSON record, replaced by each send).
  const mockSmsFile = (await import('@logto/connector-kit')).mockConnectorFilePaths.Sms;
  const testNumberUser = await api.post('/users', { primaryPhone: phone.testNumber, name: 'e2e test-number user' });
  await check('13a a config with testNumbers is saved on the connector row', async () => {
    const withTestNumbers = { ...config, testNumbers: [`+${phone.testNumber}`] };
    const row = await api.patch(`/connectors/${connectorRow.id}`, { config: withTestNumbers });
    assert.deepEqual(row.config, withTestNumbers);
  });
  /** A phone sign-in whose code Logto's mock SMS file holds, with 0 requests to Tencent and one dry_run event. */
  const signInThroughMockFile = async (number, userId) => {
    tencent.reset();
    const logFrom = readFileSync(coreLog).length;
    mkdirSync(path.dirname(mockSmsFile), { recursive: true });
    writeFileSync(mockSmsFile, '');
    const session = await signInSession();
    const identifier = { type: 'phone', value: number };
    const { verificationId } = await requestCode(session, number);
    assert.equal(tencent.requests.length, 0, 'the local server saw no request at all');
    // As Logto's integration tests read it (helpers/index.ts, readConnectorMessage).
    const record = JSON.parse(readFileSync(mockSmsFile, 'utf8'));
    assert.equal(record.phone, number);
    assert.equal(record.type, 'SignIn');
    assert.match(record.code, /^\d{6}$/);
    assert.equal(record.payload.code, record.code);
    const events = await eventsAfter(logFrom);
    assert.deepEqual(events.map(({ outcome, attempts }) => ({ outcome, attempts })), [{ outcome: 'dry_run', attempts: 0 }], 'one dry_run event for the send');
    await session.experience.post('/verification/verification-code/verify', { identifier, verificationId, code: record.code });
    await session.experience.post('/identification', { verificationId });
    const { redirectTo } = await session.experience.post('/submit');
    const tokens = await session.finish(redirectTo);
    const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
    assert.equal(claims.sub, userId);
  };
  await check('13b a phone sign-in on a test number completes with the code read from the mock SMS file, 0 requests to Tencent', () =>
    signInThroughMockFile(phone.testNumber, testNumberUser.id),
  );
  await check('13c a normal number in the same run still sends through Tencent', async () => {
    assertSignedIn(await signIn());
  });
  await check('13d with dryRun saved, every number signs in through the mock SMS file, 0 requests to Tencent', async () => {
    const dryRunUser = await api.post('/users', { primaryPhone: phone.dryRun, name: 'e2e dryRun user' });
    await api.patch(`/connectors/${connectorRow.id}`, { config: { ...config, dryRun: true } });
    await signInThroughMockFile(phone.dryRun, dryRunUser.id);
  });
  await api.patch(`/connectors/${connectorRow.id}`, { config });
  tencent.reset();

  // --- 5. swapping packages keeps the saved row ----------------------------------------------
  /**
   * Stops core, swaps one package for the other (never both: one id twice breaks core), restarts.
   * In production mode there is no bootstrap header, hence no Management API client.
   */
  const swap = async (remove, add, addSource, coreOptions = {}) => {
    await core.stop();
    logto.removeConnector(remove);
    logto.addConnector(addSource, add);
    core = await logto.startCore(coreOptions);
    api = coreOptions.production ? undefined : await managementApi(core.core);
  };
  const savedRowIsUntouched = async () => {
    const row = await api.get(`/connectors/${connectorRow.id}`);
    assert.equal(row.connectorId, connectorId);
    assert.deepEqual(row.config, config);
    return row;
  };

  // 1.4.4 always posts to https://sms.tencentcloudapi.com (it has no endpoint field): the bench's
  // preload routes exactly that host to the local server, keeping the Host header it signed.
  const officialToLocal = {
    preloads: [new URL('./bench/https-to-local.mjs', import.meta.url).href],
    extraEnv: { BENCH_TENCENT_PORT: String(tencent.port) },
  };
  await swap(ourPackage, officialPackage, officialSource, officialToLocal);
  log('official @logto/connector-tencent-sms installed instead');
  await check('5a with the official 1.4.4 installed, core starts and serves the saved row unchanged', async () => {
    const row = await savedRowIsUntouched();
    assert.notDeepEqual(row.formItems.map(({ key }) => key), ourMetadata.formItems.map(({ key }) => key), 'still our package');
  });
  await check('5b the official connector sends with the untouched row: Test route and a real sign-in', async () => {
    tencent.reset();
    await testSend();
    assert.equal(lastSend().signatureValid, true);
    // 1.4.4 sends the digits Logto gives it, without "+": one of the defects this package fixes.
    assertSignedIn(await signIn({ sentNumber: phone.user }));
  });

  await swap(officialPackage, ourPackage, ourTarball);
  log('our package installed again');
  await check('5c back on our package: the untouched row still drives the Test route and a real sign-in', async () => {
    await savedRowIsUntouched();
    tencent.reset();
    await testSend();
    assert.equal(lastSend().signatureValid, true);
    assertSignedIn(await signIn());
  });

  // --- 6, 7. the admin console in Chromium, production mode -----------------------------------
  if (!chromiumPath) {
    report(`skip 6, 7 console checks: ${missingBrowserMessage}`);
    return;
  }
  // Imported only now: playwright-core is an npm dev dependency.
  const { fillConfigForm, guideFit, openSmsGuide, screenshot, signedInConsole, startBrowser, testSendError, viewport } = await import('./e2e/console.mjs');
  // With no SMS connector the console offers "Set up" for a new one, which opens the guide.
  await api.raw('DELETE', `/connectors/${connectorRow.id}`);
  await core.stop();
  core = await logto.startCore({ production: true });
  log(`core in production mode on ${core.core} and ${core.admin}`);
  const browser = await startBrowser(chromiumPath);
  const shots = [];
  const shoot = async (page, name) => shots.push(await screenshot(page, logDir, name));
  const withoutGeneric = { ...config, templates: config.templates.filter(({ usageType }) => usageType !== 'Generic') };
  const testPhone = '+86 137 1111 2222'; // as an operator types it; the console sends the digits
  const limitCode = 'LimitExceeded.PhoneNumberDailyLimit';

  let page;
  await check('6a the first admin is created through the welcome page and signed in to the console', async () => {
    let registered;
    ({ page, registered } = await signedInConsole(browser.browser, core.admin));
    assert.ok(registered, 'the console did not send a fresh install to the welcome page');
  });
  await check('6b the SMS connector guide and form fit 1440×900: no sideways scroll, Save and Done in view', async () => {
    await openSmsGuide(page, core.admin, ourMetadata.name.en);
    await shoot(page, 'guide');
    const fit = await guideFit(page);
    assert.ok(fit.found, 'no guide (README) beside the form');
    assert.ok(fit.scrollWidth <= viewport.width, `page scrolls sideways: scrollWidth ${fit.scrollWidth}`);
    assert.deepEqual(fit.tooWide, [], 'guide elements wider than the guide');
    assert.ok(fit.saveVisible, '"Save and Done" is not fully in view after scrolling to it');
  });
  await check(`6c the form's Test with a daily-limit answer shows ${limitCode}`, async () => {
    tencent.reset();
    tencent.set({ numberCodes: { [`+${phone.testRoute}`]: limitCode } });
    await fillConfigForm(page, config);
    const shown = await testSendError(page, testPhone);
    await shoot(page, 'test-daily-limit');
    assert.equal(sends().length, 1, 'one SendSms reached the local server');
    assert.ok(shown.includes(limitCode), `the error shown: ${shown}`);
  });
  await check('6d the form\'s Test with an invalid unsaved config (http:// to a public host) names the field', async () => {
    tencent.reset();
    await fillConfigForm(page, { ...config, endpoint: 'http://sms.tencentcloudapi.com' });
    const shown = await testSendError(page, testPhone);
    await shoot(page, 'test-invalid-config');
    assert.equal(sends().length, 0, 'an invalid config must not reach Tencent');
    assert.match(shown, /Error in key path "endpoint"/);
  });
  // The unsaved form is held to the rules of saving, so a missing Generic is named as on Save.
  await check('6e the form\'s Test with no Generic template names the templates field', async () => {
    tencent.reset();
    await fillConfigForm(page, withoutGeneric);
    const shown = await testSendError(page, testPhone);
    await shoot(page, 'test-no-generic');
    assert.equal(sends().length, 0, 'an invalid config must not reach Tencent');
    assert.match(shown, /Error in key path "templates"/);
    assert.match(shown, /Generic/);
  });

  // The console's Test passes no language: with templates in three languages it tests the default.
  await check('6f the form\'s Test with templates[].locale entries sends the default Generic template', async () => {
    tencent.reset();
    tencent.set({ numberCodes: { [`+${phone.testRoute}`]: limitCode } });
    await fillConfigForm(page, localisedConfig);
    const shown = await testSendError(page, testPhone);
    assert.equal(sends().length, 1, 'one SendSms reached the local server');
    assert.equal(lastSend().body.TemplateId, templateCodeFor('Generic'));
    assert.ok(shown.includes(limitCode), `the error shown: ${shown}`);
  });

  await check("6g the form's Test of a number countryPolicy refuses names the entry, and sends nothing", async () => {
    tencent.reset();
    await fillConfigForm(page, { ...config, countryPolicy: { allow: ['CN', '!+86137'] } });
    const shown = await testSendError(page, testPhone);
    await shoot(page, 'test-country-policy');
    assert.equal(sends().length, 0, 'a refused number must not reach Tencent');
    assert.match(shown, /countryPolicy\.allow\[1\] "!\+86137" blocks this number \(CN, \+86…\)/);
  });
  await check("11f the form's Test with the primary's package empty says the fallback sent the test SMS, and why", async () => {
    tencent.reset();
    secondTencent.reset();
    tencent.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    // The form keeps what earlier checks typed: {} clears 6g's countryPolicy.
    await fillConfigForm(page, { ...config, countryPolicy: {}, fallback: tencentFallback, fallbackCooldownSeconds: 0 });
    const shown = await testSendError(page, testPhone);
    await shoot(page, 'test-fallback');
    assert.equal(sends().length, 1, 'one SendSms to the primary');
    assert.equal(secondTencent.requests.length, 1, 'the test SMS was sent once, by the second account');
    assert.match(shown, /The test SMS was sent through the fallback route, not the primary/);
    assert.match(shown, /FailedOperation\.InsufficientBalanceInSmsPackage/);
    tencent.reset();
  });
  // An exhausted SMS package on a real sign-in: Logto's sign-in page offers the password instead.
  let smsConnector;
  await check('8  sign-in page: with password and SMS both on, InsufficientBalanceInSmsPackage moves the user to the password page', async () => {
    const { submitPhoneOnSignInPage } = await import('./e2e/console.mjs');
    // Production mode has no bootstrap header: the M2M app made in development mode signs in.
    api = await managementClient(core.core, api.credentials);
    smsConnector = await api.post('/connectors', { connectorId, config });
    await api.patch('/sign-in-exp', {
      signInMode: 'SignIn',
      signUp: { identifiers: ['phone'], password: false, verify: true },
      signIn: { methods: [{ identifier: 'phone', password: true, verificationCode: true, isPasswordPrimary: false }] },
    });
    const withPassword = '8613711110003';
    await api.post('/users', { primaryPhone: withPassword, password: 'e2e-User-Passw0rd!', name: 'e2e password user' });
    tencent.reset();
    tencent.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    const verifier = 'e2e-pkce-verifier-0123456789-0123456789-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URL(`${core.core}/oidc/auth`);
    for (const [key, value] of Object.entries({
      client_id: spa.id, redirect_uri: redirectUri, response_type: 'code', scope: 'openid',
      state: 'e2e', code_challenge: challenge, code_challenge_method: 'S256', prompt: 'login',
    })) {
      authorize.searchParams.set(key, value);
    }
    const { pathname, toast, page: signInPage } = await submitPhoneOnSignInPage(browser.browser, authorize.href, `+${withPassword}`);
    await shoot(signInPage, 'sign-in-usage-limit');
    await signInPage.context().close();
    assert.equal(sends().length, 1, 'one SendSms reached the local server');
    assert.equal(sends()[0].answeredCode, 'FailedOperation.InsufficientBalanceInSmsPackage');
    assert.equal(pathname, '/sign-in/password', `the sign-in page stayed at ${pathname} (toast: ${toast})`);
    assert.match(toast, /sign in with your password/i);
    tencent.reset();
  });
  // The console offers "Set up" (check 7) only while no SMS connector exists.
  if (smsConnector) {
    await api.raw('DELETE', `/connectors/${smsConnector.id}`);
  }

  // The "before" pictures: the same screens with the official 1.4.4, which has no endpoint field.
  await swap(ourPackage, officialPackage, officialSource, { ...officialToLocal, production: true });
  log('official @logto/connector-tencent-sms installed instead, production mode');
  await check('7  (before) official 1.4.4 in the console: guide and both Test errors captured', async () => {
    ({ page } = await signedInConsole(browser.browser, core.admin));
    await openSmsGuide(page, core.admin, ourMetadata.name.en);
    await shoot(page, 'before-guide');
    const fit = await guideFit(page);
    log(`official 1.4.4 guide: scrollWidth ${fit.scrollWidth}, Save and Done in view: ${fit.saveVisible}, ${fit.tooWide.length} guide elements too wide`);
    tencent.reset();
    tencent.set({ numberCodes: { [`+${phone.testRoute}`]: limitCode } });
    await fillConfigForm(page, config);
    log(`official 1.4.4, daily limit: ${await testSendError(page, testPhone)}`);
    await shoot(page, 'before-test-daily-limit');
    // 1.4.4 has no endpoint field, so only the missing Generic can make its config invalid.
    await fillConfigForm(page, withoutGeneric);
    log(`official 1.4.4, no Generic template: ${await testSendError(page, testPhone)}`);
    await shoot(page, 'before-test-no-generic');
  });
  await browser.close();
  report(`     screenshots:\n${shots.map((file) => `       ${path.relative(root, file)}`).join('\n')}`);
};

const workDir = mkdtempSync(path.join(tmpdir(), 'e2e-logto-'));
const cleanUp = async () => {
  await stopAll();
  await tencent?.close();
  await redisServer?.stop();
  await Promise.all(extraServers.map((server) => server.close()));
  rmSync(workDir, { recursive: true, force: true });
};
for (const [signal, exitCode] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, async () => {
    interrupted = true;
    console.error(`[e2e:logto] ${signal}: stopping everything started`);
    await cleanUp();
    process.exit(exitCode);
  });
}

try {
  await run(workDir);
} catch (error) {
  results.failed += 1;
  report(`FAIL setup: ${error?.stack ?? error}`);
  const coreLog = path.join(logDir, 'logto-core.log');
  if (existsSync(coreLog)) {
    report(`     last lines of ${coreLog}:\n${tail(coreLog)}`);
  }
} finally {
  if (!interrupted) {
    await cleanUp();
  }
}
report(`${results.passed} passed, ${results.failed} failed (${seconds()})`);
process.exitCode = results.failed > 0 ? 1 : 0;
