// Same id as the official connector: saved configs keep working. Logto core refuses to start
// with two packages of one id, so this one replaces the official package.

// Only the types the guard requires: a prefilled entry for any other type would be saved as is
// and shadow the Generic fallback (a placeholder code is never sent, but the form should not
// invite it).
const requiredUsageTypes = ['SignIn', 'Register', 'ForgotPassword', 'Generic'];

export const metadata = Object.freeze({
  id: 'tencent-short-message-service',
  target: 'tencent-sms',
  platform: null,
  name: {
    en: 'Tencent Short Message Service',
    'zh-CN': '腾讯云短信服务',
  },
  logo: './logo.svg',
  logoDark: null,
  description: {
    en: 'Send sign-in and verification codes to mainland China and international numbers through Tencent Cloud SMS.',
    'zh-CN': '通过腾讯云短信向中国大陆及国际号码发送登录和验证码短信。',
  },
  readme: './README.md',
  formItems: [
    {
      key: 'accessKeyId',
      label: 'Access Key ID',
      type: 'Text',
      required: true,
      placeholder: 'AKID…',
      tooltip: 'SecretId of a Tencent Cloud API key (CAM console → API keys). A sub-user key with the QcloudSMSFullAccess policy is enough.',
    },
    {
      key: 'accessKeySecret',
      label: 'Access Key Secret',
      type: 'Text',
      required: true,
      isConfidential: true,
      placeholder: '<access-key-secret>',
      tooltip: 'SecretKey that belongs to the Access Key ID. Never shown in errors or logs.',
    },
    {
      key: 'signName',
      label: 'Sign Name',
      type: 'Text',
      required: true,
      placeholder: '<sign-name>',
      tooltip: 'Approved SMS signature (the text shown in 【】), used for mainland China numbers.',
    },
    {
      key: 'sdkAppId',
      label: 'SDK App ID',
      type: 'Text',
      required: true,
      placeholder: '1400000000',
      tooltip: 'SmsSdkAppId from SMS console → Application management.',
    },
    {
      key: 'region',
      label: 'Region',
      type: 'Text',
      required: true,
      placeholder: 'ap-guangzhou',
      tooltip: 'SMS API region: ap-guangzhou, ap-beijing or ap-nanjing (China site), ap-singapore (international site).',
    },
    {
      key: 'templates',
      label: 'Templates',
      type: 'Json',
      required: true,
      defaultValue: requiredUsageTypes.map((usageType) => ({ usageType, templateCode: '<template-code>' })),
      tooltip:
        'One { usageType, templateCode } per Logto message type; Register, SignIn, ForgotPassword and Generic are required, and every other type (MfaVerification, BindMfa, …) uses Generic unless listed. templateCode is the approved template ID (digits); any other value is never sent. A template with more placeholders than the code takes "templateParams": one string per placeholder, in order, with "{code}" for the code, e.g. ["{code}", "10"] for "Your code is {1}. It expires in {2} minutes." (default ["{code}"]). For numbers outside mainland China add "internationalTemplateCode" (and "internationalTemplateParams" if its placeholders differ).',
    },
    {
      key: 'internationalSignName',
      label: 'International Sign Name',
      type: 'Text',
      required: false,
      placeholder: '<optional>',
      tooltip:
        'Signature sent with international templates (numbers outside +86). Leave empty to send international messages without a signature.',
    },
    {
      key: 'senderId',
      label: 'Sender ID',
      type: 'Text',
      required: false,
      placeholder: '<optional>',
      tooltip:
        'Sender ID approved by Tencent for international SMS (some countries require one). Sent only to numbers outside +86, never to mainland China numbers. Leave empty if you have none.',
    },
    {
      key: 'endpoint',
      label: 'Endpoint',
      type: 'Text',
      required: false,
      placeholder: 'sms.tencentcloudapi.com',
      tooltip:
        'API host. China-site accounts (cloud.tencent.com): sms.tencentcloudapi.com (default) or a regional host such as sms.ap-guangzhou.tencentcloudapi.com. International-site accounts (tencentcloud.com): sms.intl.tencentcloudapi.com. https only (http is allowed for 127.x.x.x, [::1] and localhost); no path, and no port fetch refuses.',
    },
    {
      key: 'timeoutMs',
      label: 'Timeout (ms)',
      type: 'Number',
      required: false,
      placeholder: '10000',
      tooltip: 'Upper bound for one send, retries included: a whole number from 100 to 60000. Leave empty for 10000.',
    },
    {
      key: 'language',
      label: 'Error message language',
      type: 'Select',
      required: false,
      // Tencent's own default is zh-CN, so this default changes nothing. Not an empty option:
      // Logto's Select shows an empty value as a blank box and cannot be cleared.
      defaultValue: 'zh-CN',
      selectItems: [
        { value: 'zh-CN', title: "简体中文 (Tencent's default)" },
        { value: 'en-US', title: 'English' },
      ],
      tooltip: "Language of Tencent's error messages (X-TC-Language). Left out of the config, Tencent answers in Chinese.",
    },
  ],
});
