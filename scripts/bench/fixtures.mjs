// Inputs shared by the bench and its children, so both connectors get exactly the same ones.
export const credentials = { AKIDbench000000000001: 'benchSecretKey00000000000000001' };
const [[secretId, secretKey]] = Object.entries(credentials);

/** A config both connectors accept; `endpoint` is ours only (the official one strips it). */
export const connectorConfig = (endpoint) => ({
  accessKeyId: secretId,
  accessKeySecret: secretKey,
  signName: 'BenchSign',
  sdkAppId: '1400000001',
  region: 'ap-guangzhou',
  templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({
    usageType,
    templateCode: '100001',
  })),
  ...(endpoint ? { endpoint } : {}),
});

/**
 * A 50-entry countryPolicy that lets the bench's +86 number through after every entry is tried:
 * high-risk prefixes and countries, ISO codes (resolved through the country table) and prefixes.
 */
export const countryPolicy50 = {
  deny: [
    '+1900', '+1976', '+882', '+883', '+979', '+881', '+870', '+4470', '+4487', '+4490',
    '+4491', '+7940', '+7840', '+252', '+675', '+677', '+678', '+679', '+685', '+686',
    '+687', '+688', '+689', '+690', '+691', '+692', '+53', '+850', '+963', '+964',
    'AF', 'IQ', 'SY', 'YE', 'LY', 'SD', 'SS', 'ER', 'CF', 'NR',
    'TD', 'NU', 'TO', 'JM', 'DO', 'HT', 'LR', 'SL', 'GN', '!+18765',
  ],
};

export const message = { to: '+8613711112222', type: 'SignIn', payload: { code: '123456' } };

/**
 * Three sendLimits rules, one of each kind, that never refuse the bench's sends; each send comes
 * from a new client address (`clientAddress`), so every send adds a key, as a busy site's do.
 */
export const sendLimits3 = [
  { by: 'ip', max: 1_000_000, perSeconds: 3600 },
  { by: 'prefix', max: 1_000_000, perSeconds: 3600 },
  { by: 'country', max: 1_000_000, perSeconds: 86400 },
];
export const clientAddress = (n) => `198.18.${(n >> 8) & 255}.${n & 255}`;

/**
 * A second Tencent account as `fallback`, never used (the primary answers Ok): what a configured
 * fallback costs a send that does not need it.
 */
export const unusedFallback = {
  type: 'tencent',
  ...connectorConfig('sms.intl.tencentcloudapi.com'),
  accessKeyId: 'AKIDbench000000000002',
  accessKeySecret: 'benchSecretKey00000000000000002',
  sdkAppId: '1400000002',
};

/** Template ids the localised config gives the 3 languages; the message below resolves to ja's. */
export const localisedTemplateIds = { en: '100011', ja: '100021', fr: '100031' };

/**
 * The same config with 3 languages besides the default, each with a SignIn and a Generic entry:
 * the cost of templates[].locale (ours only; the official connector has no such field).
 */
export const localisedConfig = (endpoint) => {
  const config = connectorConfig(endpoint);
  for (const [locale, templateCode] of Object.entries(localisedTemplateIds)) {
    for (const usageType of ['SignIn', 'Generic']) {
      config.templates.push({ usageType, locale, templateCode });
    }
  }
  return config;
};

/** As Logto sends it, in the costliest shape: two languages that match nothing before ja. */
export const localisedMessage = { ...message, payload: { code: '123456', locale: 'de', uiLocales: 'de-CH ja' } };

/** A realistic SendSms request to sign. */
export const signInput = {
  secretId,
  secretKey,
  service: 'sms',
  host: 'sms.tencentcloudapi.com',
  action: 'SendSms',
  version: '2021-01-11',
  region: 'ap-guangzhou',
  timestamp: 1_700_000_000,
  payload: JSON.stringify({
    SmsSdkAppId: '1400000001',
    SignName: 'BenchSign',
    TemplateId: '100001',
    TemplateParamSet: ['123456'],
    PhoneNumberSet: ['+8613711112222'],
  }),
};
