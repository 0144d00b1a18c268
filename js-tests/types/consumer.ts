// Compiled by types.test.js with `tsc --noEmit`: a consumer's use of both entries must type-check
// against index.d.ts and browser.d.ts, and misuse must not.
import createConnector, {
  configGuard,
  sendMessage,
  signRequest,
  validateConfig,
  type SendResult,
  type TencentSmsConfig,
  type TencentSmsErrorData,
  type HttpSmsFallback,
} from '../../pkg-template/index.js';
import init, { validateConfig as validateInBrowser } from '../../pkg-template/browser.js';

export async function useNodeEntry(config: unknown): Promise<SendResult> {
  const parsed = configGuard.safeParse(config);
  if (!parsed.success) {
    throw parsed.error;
  }
  const typed: TencentSmsConfig = parsed.data;
  const validation = validateConfig(typed);
  const firstPath: Array<string | number> | undefined = validation.errors[0]?.path;
  const blocksOnTemplates = validation.errors.some((issue) => issue.code === 'missing_templates');
  // @ts-expect-error: unknown_region is a warning code, never an error's.
  const impossible = validation.errors.some((issue) => issue.code === 'unknown_region');
  void [firstPath, blocksOnTemplates, impossible];
  const { authorization, headers } = signRequest({
    secretId: typed.accessKeyId,
    secretKey: typed.accessKeySecret,
    service: 'sms',
    host: 'sms.tencentcloudapi.com',
    action: 'SendSms',
    version: '2021-01-11',
    timestamp: 1_700_000_000,
    payload: new Uint8Array(),
  });
  const contentType: string | undefined = headers['Content-Type'];
  void [authorization, contentType];
  const connector = await createConnector({ getConfig: async () => typed });
  const viaConnector: SendResult = await connector.sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '1' } });
  void viaConnector;
  return sendMessage({ to: '8613711112222', type: 'MfaVerification', payload: { code: '1', locale: 'en' } }, typed);
}

export function describeFailure(data: TencentSmsErrorData): string {
  const primary = data.primaryError ? ` primary: ${data.primaryError.code} ${data.primaryError.data.tencentCode ?? ''}` : '';
  return `${data.tencentCode ?? ''} ${data.requestId ?? ''} ${data.delivery ?? ''} ${data.trap ?? ''} ${data.route ?? ''}${primary}`;
}

export function withFallbacks(config: TencentSmsConfig): TencentSmsConfig[] {
  const gateway: HttpSmsFallback = { type: 'http', endpoint: 'https://sms-gateway.example.com/send', authorization: 'Bearer t' };
  const { fallback: _ignored, fallbackCooldownSeconds: _alsoIgnored, ...account } = config;
  return [
    { ...config, fallback: gateway, fallbackCooldownSeconds: 0 },
    { ...config, fallback: { ...account, type: 'tencent' } },
    { ...config, fallback: {} },
  ];
}

export function routeOf(result: SendResult): 'primary' | 'fallback' {
  return result.route;
}

// @ts-expect-error: a Tencent fallback has no fallback of its own.
export const nested: TencentSmsConfig['fallback'] = { type: 'tencent', accessKeyId: '', accessKeySecret: '', signName: '', sdkAppId: '', region: '', templates: [], fallback: {} };

export async function useBrowserEntry(bytes: ArrayBuffer): Promise<boolean> {
  await init(bytes);
  return validateInBrowser({}).valid;
}

// @ts-expect-error: the payload must be the body as a string or bytes.
signRequest({ secretId: '', secretKey: '', service: '', host: '', action: '', version: '', timestamp: 1, payload: 1 });
// @ts-expect-error: a send needs the code in its payload.
void sendMessage({ to: '1', type: 'SignIn', payload: {} }, {});
