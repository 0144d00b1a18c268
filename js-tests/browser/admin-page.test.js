// The admin page (pkg/admin/) in real Chromium: the wasm validator runs in the browser while the
// operator types, and each issue lands in the row of the field it belongs to.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { chromium } from 'playwright-core';

import { startAdminServer } from '../../scripts/admin-server.mjs';
import { browserRequired, chromiumLaunchArgs, findChromium, missingBrowserMessage } from '../../scripts/toolchain.mjs';
import { validConfig as sharedValidConfig } from '../../tests/support/valid-config.js';

const validConfig = sharedValidConfig();
const SECRET = validConfig.accessKeySecret;

const template = (usageType, templateCode) => ({ usageType, templateCode });
const brokenConfig = {
  ...validConfig,
  accessKeyId: 1,
  region: 'ap-mars',
  // No Generic, and a typo in the last usageType.
  templates: [...validConfig.templates.slice(0, 3), template('Singin', '100005')],
  extraKey: true,
};

const editor = '[data-testid="config"]';
const status = '[data-testid="status"]';

const issues = (page, row, kind) => page.locator(`${row} [data-testid="${kind}"]`).allTextContents();
const fieldIssues = (page, field, kind) => issues(page, `[data-field="${field}"]`, kind);

const enterConfig = (page, config) => page.fill(editor, JSON.stringify(config, null, 2));

// aria-busy is set on input and cleared when the debounced check has run.
const waitForState = (page, state) =>
  page.waitForSelector(`[aria-busy="false"] > ${status}[data-state="${state}"]`);

const chromiumPath = findChromium();
// Without a browser the test is reported as skipped (one visible line), unless CI requires it.
const skip = !chromiumPath && !browserRequired() ? missingBrowserMessage : false;

test('admin page validates the config in the browser while the operator types', { timeout: 120_000, skip }, async (t) => {
  assert.ok(chromiumPath, `REQUIRE_BROWSER=1 but ${missingBrowserMessage}`);
  // May build pkg/ first, hence the generous outer timeout; the browser steps below are bounded tightly.
  const server = await startAdminServer({ port: 0 });
  t.after(() => server.close());
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumLaunchArgs, timeout: 15_000 });
  t.after(() => browser.close());

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(5_000);
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  const step = (name, fn) => t.test(name, { timeout: 10_000 }, fn);

  await step('loads the wasm validator and checks the sample config', async () => {
    await page.goto(server.url, { timeout: 10_000 });
    await page.waitForSelector(`${status}:not([data-state="loading"])`);
    assert.equal(await page.getAttribute(status, 'data-state'), 'valid');
    assert.match(await page.textContent(status), /^Valid · \d+ warnings?$/);
    const sample = JSON.parse(await page.inputValue(editor));
    assert.deepEqual(Object.keys(sample), ['accessKeyId', 'accessKeySecret', 'signName', 'sdkAppId', 'region', 'templates']);
  });

  await step('renders one labelled row per metadata form item, plus a general row', async () => {
    const formItems = await page.evaluate(() =>
      import('/lib/browser.js').then((m) => m.metadata.formItems.map(({ key, label }) => ({ key, label }))),
    );
    const rows = await page.locator('[data-field]').evaluateAll((nodes) =>
      nodes.map((node) => ({ key: node.dataset.field, label: node.querySelector('.label').textContent })),
    );
    assert.deepEqual(rows, formItems);
    assert.equal(await page.locator('[data-testid="general"]').count(), 1);
  });

  await step('shows each error and warning of a broken config in its field row', async () => {
    await enterConfig(page, brokenConfig);
    await waitForState(page, 'invalid');
    assert.equal(await page.textContent(status), '2 errors · 3 warnings');

    const [accessKeyIdError] = await fieldIssues(page, 'accessKeyId', 'error');
    assert.match(accessKeyIdError, /^accessKeyId accessKeyId must be a string, not a number/);
    const [templatesError] = await fieldIssues(page, 'templates', 'error');
    assert.match(templatesError, /^templates templates has no entry for usageType Generic/);
    assert.equal(await page.getAttribute('[data-field="templates"] [data-testid="error"]', 'data-code'), 'missing_templates');
    const [templateWarning] = await fieldIssues(page, 'templates', 'warning');
    assert.match(templateWarning, /^templates\[3\]\.usageType /);
    const [regionWarning] = await fieldIssues(page, 'region', 'warning');
    assert.match(regionWarning, /ap-mars/);
    assert.deepEqual(await fieldIssues(page, 'region', 'error'), []);
    const [unknownKeyWarning] = await issues(page, '[data-testid="general"]', 'warning');
    assert.match(unknownKeyWarning, /^extraKey .*"extraKey"/);
    assert.deepEqual(await fieldIssues(page, 'signName', 'error'), []);
    assert.deepEqual(await fieldIssues(page, 'signName', 'warning'), []);

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'admin-page-'));
    const screenshot = path.join(folder, 'broken-config.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    t.diagnostic(`screenshot: ${screenshot}`);
  });

  await step('shows countryPolicy errors and warnings in its own row', async () => {
    await enterConfig(page, { ...validConfig, countryPolicy: { allow: ['CN', 'XX', '!+1900'] } });
    await waitForState(page, 'invalid');
    const [unknownCountry] = await fieldIssues(page, 'countryPolicy', 'error');
    assert.match(unknownCountry, /^countryPolicy\.allow\[1\] .*ISO 3166-1/);
    assert.equal(await page.getAttribute('[data-field="countryPolicy"] [data-testid="error"]', 'data-code'), 'unknown_country');
    await enterConfig(page, { ...validConfig, countryPolicy: { allow: ['CN', '!+1900'] } });
    await waitForState(page, 'valid');
    const [unused] = await fieldIssues(page, 'countryPolicy', 'warning');
    assert.match(unused, /^countryPolicy\.allow\[1\] .*exception/);
  });

  await step('shows sendLimits and trustedIps issues in their own rows', async () => {
    await enterConfig(page, { ...validConfig, sendLimits: [{ by: 'ip', max: 0, perSeconds: 60 }], trustedIps: ['office'] });
    await waitForState(page, 'invalid');
    const [max] = await fieldIssues(page, 'sendLimits', 'error');
    assert.match(max, /^sendLimits\[0\]\.max max must be a whole number/);
    assert.equal(await page.getAttribute('[data-field="trustedIps"] [data-testid="error"]', 'data-code'), 'invalid_trusted_ip');
    await enterConfig(page, { ...validConfig, sendLimits: [{ by: 'ip', max: 5, perSeconds: 3600 }] });
    await waitForState(page, 'valid');
    const [reminder] = await fieldIssues(page, 'sendLimits', 'warning');
    assert.match(reminder, /TRUST_PROXY_HEADER=1/);
  });

  await step('checks the fallback in its own row, at fallback.… paths, with both routes\' secrets masked', async () => {
    const secondSecret = 'SecondSecretKey0123456789abcdefgh';
    const second = { type: 'tencent', ...validConfig, accessKeyId: 'AKIDsecondaccount0000000000000000000', accessKeySecret: secondSecret };
    second.templates = [{ usageType: 'SignIn', templateCode: 7 }, ...validConfig.templates.slice(1)];
    await enterConfig(page, { ...validConfig, region: secondSecret, fallback: second, fallbackCooldownSeconds: -1 });
    await waitForState(page, 'invalid');
    const [templateError] = await fieldIssues(page, 'fallback', 'error');
    assert.match(templateError, /^fallback\.templates\[0\]\.templateCode fallback: /);
    const [cooldownError] = await fieldIssues(page, 'fallbackCooldownSeconds', 'error');
    assert.match(cooldownError, /0 to 86400/);
    assert.ok(!(await page.textContent('.report')).includes(secondSecret), 'the fallback secret is shown');
    await enterConfig(page, { ...validConfig, fallback: { type: 'http', endpoint: 'http://sms-gateway.example.com/send', authorization: 'Bearer t' } });
    await waitForState(page, 'invalid');
    assert.equal(await page.getAttribute('[data-field="fallback"] [data-testid="error"]', 'data-code'), 'insecure_endpoint');
  });

  await step('shows the valid state once the config is fixed', async () => {
    await enterConfig(page, validConfig);
    await waitForState(page, 'valid');
    assert.equal(await page.textContent(status), 'Valid · 0 warnings');
    assert.equal(await page.locator('[data-testid="error"], [data-testid="warning"]').count(), 0);
  });

  await step('checks templates[].locale: a bad tag is an error, a language without Generic a warning', async () => {
    const localised = (locale, usageType, templateCode) => ({ ...template(usageType, templateCode), locale });
    await enterConfig(page, {
      ...validConfig,
      templates: [...validConfig.templates, localised('en', 'Generic', '100104'), localised('ja', 'SignIn', '100201'), localised('zh_CN', 'SignIn', '100301')],
    });
    await waitForState(page, 'invalid');
    const [localeError] = await fieldIssues(page, 'templates', 'error');
    assert.match(localeError, /^templates\[6\]\.locale .*BCP 47/);
    assert.equal(await page.getAttribute('[data-field="templates"] [data-testid="error"]', 'data-code'), 'invalid_locale');
    const [localeWarning] = await fieldIssues(page, 'templates', 'warning');
    assert.match(localeWarning, /^templates\[5\]\.locale No Generic entry serves this locale/);
    assert.match(await page.textContent('[data-field="templates"] .help'), /"locale"/, 'the help names the field');
  });

  await step('reports a JSON syntax error as the operator types', async () => {
    await page.locator(editor).press('Control+End');
    await page.locator(editor).pressSequentially(' oops');
    await waitForState(page, 'syntax');
    assert.equal(await page.textContent(status), 'Not valid JSON');
    assert.match(await page.textContent('[data-testid="syntax-error"]'), /^JSON syntax error: \S/);
    assert.equal(await page.isVisible('[data-testid="syntax-error"]'), true);

    await enterConfig(page, validConfig);
    await waitForState(page, 'valid');
    assert.equal(await page.isVisible('[data-testid="syntax-error"]'), false);
  });

  await step('never shows the secret outside the textarea', async () => {
    // The validator quotes an unknown region back, and masks it when it is the secret.
    await enterConfig(page, { ...validConfig, region: SECRET });
    await waitForState(page, 'valid');
    const [regionWarning] = await fieldIssues(page, 'region', 'warning');
    assert.match(regionWarning, /region "\[redacted\]" is not a Tencent Cloud SMS region/, "the core masks what it quotes");
    assert.ok(!(await page.content()).includes(SECRET));

    // Chromium quotes the text around an unexpected token in its JSON.parse message.
    await page.fill(editor, `{ "accessKeySecret": ${SECRET} }`);
    await waitForState(page, 'syntax');
    assert.ok(!(await page.content()).includes(SECRET));
    assert.ok(!(await page.content()).includes(SECRET.slice(0, 8)));
  });

  await step('the browser entry works from a plain module script', async () => {
    const valid = await page.evaluate(async () => {
      const browserEntry = await import('/lib/browser.js');
      await browserEntry.default();
      return browserEntry.validateConfig({}).valid;
    });
    assert.equal(valid, false);
  });

  await step('punycode hosts the browser refuses are invalid, and the valid ones valid', async () => {
    const results = await page.evaluate(async (config) => {
      const entry = await import('/lib/browser.js');
      await entry.default();
      return ['xn--a.com', 'xn--zz', 'https://xn--bcher-kvb.com', 'sms.xn--99999999999.com', 'xn--bcher-kva.com', 'xn--fiqs8s.xn--fiqz9s'].map((endpoint) => {
        let browserHost = null;
        try {
          browserHost = new URL(endpoint.includes('//') ? endpoint : `https://${endpoint}/`).host;
        } catch {}
        return { endpoint, codes: entry.validateConfig({ ...config, endpoint }).errors.map(({ code }) => code), browserHost };
      });
    }, validConfig);
    // Node's URL refuses the first four; Chromium's URL parser takes them as they are. The
    // validator refuses them in the browser too (one config, one answer), and what it accepts
    // the browser keeps unchanged.
    for (const { endpoint, codes, browserHost } of results.slice(0, 4)) {
      assert.deepEqual(codes, ['invalid_endpoint'], `${endpoint} (browser: ${browserHost})`);
    }
    for (const { endpoint, codes, browserHost } of results.slice(4)) {
      assert.deepEqual(codes, [], endpoint);
      assert.equal(browserHost, endpoint);
    }
  });

  await step('a short secret garbles no message', async () => {
    await enterConfig(page, { ...validConfig, accessKeySecret: 'short', region: 'short', extraKey: 'the' });
    await waitForState(page, 'valid');
    const texts = await page.locator('[data-testid="warning"]').allTextContents();
    assert.ok(texts.some((text) => /accessKeySecret is shorter than a Tencent Cloud SecretKey/.test(text)), texts.join('\n'));
    assert.ok(texts.some((text) => /region "\[redacted\]"/.test(text)), texts.join('\n'));
    for (const text of texts) {
      assert.doesNotMatch(text, /\w\[redacted\]|\[redacted\]\w/, text);
    }
  });

  await step("an opaque redirect (status 0) is one request, rejected, never followed", async () => {
    let posts = 0;
    const redirecting = http.createServer((request, response) => {
      request.resume();
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST' };
      if (request.method === 'OPTIONS') {
        response.writeHead(204, cors).end();
        return;
      }
      posts += 1;
      response.writeHead(307, { ...cors, location: `http://127.0.0.1:${redirecting.address().port}/again` }).end();
    });
    await new Promise((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${redirecting.address().port}`;
      const outcome = await page.evaluate(async ({ config, endpoint }) => {
        const entry = await import('/lib/browser.js');
        await entry.default();
        const { createEngine } = await import('/lib/engine.js');
        const glue = await import('/lib/wasm/tencent_sms.js');
        const engine = createEngine({ glue, load: () => {} });
        const message = { to: '8613711112222', type: 'SignIn', payload: { code: '123456' } };
        return engine.sendMessage(message, { ...config, endpoint }).then(
          () => ({ code: 'resolved' }),
          (error) => ({ code: error.code, data: error.data }),
        );
      }, { config: validConfig, endpoint });
      assert.equal(outcome.code, 'invalid_response', JSON.stringify(outcome));
      assert.equal(outcome.data.status, 0);
      assert.equal(outcome.data.delivery, 'unknown');
      assert.match(outcome.data.message, /redirect, which is never followed/);
      assert.equal(posts, 1);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  await step('logs no console or page errors', () => {
    assert.deepEqual(problems, []);
  });
});
