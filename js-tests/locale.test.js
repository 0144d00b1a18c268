// Codes in the user's language (issue 22): templates[].locale through the built package, loaded
// by Logto's own loader, against the local Tencent server. The full resolution table is Rust's
// (tests/locale_resolution.rs); this proves the payload's locale and uiLocales reach it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { validateConfig } from '../pkg/lib/index.js';

import { makeConfig, secretId, secretKey, templateCodeFor, templateTypes } from '../tests/support/fixtures.js';
import { installLikeLogto, loadWithLogtoLoader } from '../tests/support/logto-host.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

let server;
let install;
let connector;

// zh-CN default (the fixtures' codes) + en + ja, as in the operator's guide.
const localised = (endpoint) =>
  makeConfig(endpoint, {
    templates: [
      ...templateTypes.map((usageType) => ({ usageType, templateCode: templateCodeFor(usageType) })),
      { usageType: 'SignIn', locale: 'en', templateCode: '200001' },
      { usageType: 'Generic', locale: 'en', templateCode: '200005' },
      { usageType: 'Generic', locale: 'ja', templateCode: '300005' },
    ],
  });

before(async () => {
  server = await startTencentServer({ credentials: { [secretId]: secretKey } });
  install = installLikeLogto();
  const loaded = await loadWithLogtoLoader(install.connectorsDir);
  const config = localised(server.url);
  ({ rawConnector: connector } = await loaded.buildRawConnector(loaded.factory, async () => config));
  // Logto validates the saved config with configGuard before sending.
  assert.equal(loaded.factory.configGuard.safeParse(config).success, true);
});

after(async () => {
  await server?.close();
  install?.cleanup();
});

const sentTemplate = async (type, payload) => {
  await connector.sendMessage({ to: '8613711112222', type, payload: { code: '123456', ...payload } });
  return server.requests.at(-1).body.TemplateId;
};

test('payload.locale and uiLocales choose the template; without them, the default', async () => {
  assert.equal(await sentTemplate('SignIn', {}), templateCodeFor('SignIn'));
  assert.equal(await sentTemplate('SignIn', { locale: 'en' }), '200001');
  assert.equal(await sentTemplate('SignIn', { locale: 'en-GB' }), '200001');
  assert.equal(await sentTemplate('Register', { locale: 'en' }), '200005', 'Generic en beats the Register default');
  assert.equal(await sentTemplate('SignIn', { locale: 'ja' }), '300005');
  assert.equal(await sentTemplate('SignIn', { locale: 'fr', uiLocales: 'fr-CA ja' }), '300005');
  assert.equal(await sentTemplate('SignIn', { locale: 'zh-CN' }), templateCodeFor('SignIn'));
  assert.equal(server.requests.at(-1).body.TemplateParamSet.length, 1, 'locale is never a parameter');
});

test('a bad or repeated locale is an error naming the entry; a language without Generic a warning', () => {
  const config = localised('https://sms.tencentcloudapi.com');
  const bad = { ...config, templates: [...config.templates, { usageType: 'SignIn', locale: 'en_US', templateCode: '1' }] };
  assert.deepEqual(
    validateConfig(bad).errors.map(({ path, code }) => [path, code]),
    [[['templates', config.templates.length, 'locale'], 'invalid_locale']],
  );
  const repeated = { ...config, templates: [...config.templates, { usageType: 'SignIn', locale: 'EN', templateCode: '1' }] };
  assert.deepEqual(validateConfig(repeated).errors.map(({ code }) => code), ['duplicate_locale']);
  const noGeneric = { ...config, templates: [...config.templates, { usageType: 'SignIn', locale: 'ko', templateCode: '1' }] };
  const { valid, warnings } = validateConfig(noGeneric);
  assert.equal(valid, true);
  assert.deepEqual(warnings.map(({ code }) => code), ['locale_without_generic']);
});
