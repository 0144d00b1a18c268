// Same id as the official connector: saved configs keep working, and two packages with one id
// would break Logto's connector routes.
const usageTypes = [
  'SignIn',
  'Register',
  'ForgotPassword',
  'OrganizationInvitation',
  'Generic',
  'UserPermissionValidation',
  'BindNewIdentifier',
  'MfaVerification',
  'BindMfa',
];

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
      defaultValue: usageTypes.map((usageType) => ({ usageType, templateCode: '<template-code>' })),
      tooltip:
        'One { usageType, templateCode } per Logto message type; Register, SignIn, ForgotPassword and Generic are required, Generic is the fallback. Add "internationalTemplateCode" to a template to use an approved international template for numbers outside mainland China. Templates need exactly one placeholder, for the code.',
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
      key: 'endpoint',
      label: 'Endpoint',
      type: 'Text',
      required: false,
      placeholder: 'sms.tencentcloudapi.com',
      tooltip:
        'API host, e.g. sms.ap-guangzhou.tencentcloudapi.com or sms.ap-singapore.tencentcloudapi.com. https only (http is allowed for 127.0.0.1 and localhost).',
    },
    {
      key: 'timeoutMs',
      label: 'Timeout (ms)',
      type: 'Number',
      required: false,
      placeholder: '10000',
      tooltip: 'Upper bound for one send, retries included (100–60000, default 10000).',
    },
    {
      key: 'language',
      label: 'Error message language',
      type: 'Select',
      required: false,
      selectItems: [
        { value: 'en-US', title: 'English' },
        { value: 'zh-CN', title: '简体中文' },
      ],
      tooltip: "Language of Tencent's error messages (X-TC-Language).",
    },
  ],
});
