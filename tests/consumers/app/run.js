// The page every bundler builds: the root import must resolve to the browser entry (the same
// module as `/browser`), init() must load the wasm the bundler emitted, and the core must then
// accept a good config and refuse a bad one. The outcome goes to window.consumerResult.
import init, { metadata, validateConfig } from 'connector-tencent-sms-wasm';
import initFromSubpath from 'connector-tencent-sms-wasm/browser';

const good = {
  accessKeyId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  accessKeySecret: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  signName: 'Tencent',
  sdkAppId: '1400006666',
  region: 'ap-guangzhou',
  templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({ usageType, templateCode: '100001' })),
};
// No Generic template and a timeout out of range.
const bad = { ...good, templates: good.templates.slice(0, 3), timeoutMs: 5 };

const report = (result) => {
  window.consumerResult = result;
};

export const run = (input) =>
  Promise.resolve()
    .then(() => {
      if (typeof init !== 'function' || init !== initFromSubpath) {
        throw new Error('the root import did not resolve to the browser entry');
      }
      return init(input);
    })
    .then(() => {
      const accepted = validateConfig(good);
      const refused = validateConfig(bad);
      report({
        id: metadata.id,
        good: { valid: accepted.valid, errors: accepted.errors.map(({ code }) => code) },
        bad: { valid: refused.valid, errors: refused.errors.map(({ code }) => code).sort() },
      });
    })
    .catch((error) => report({ error: String(error?.message ?? error) }));
