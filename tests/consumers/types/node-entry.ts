// A TypeScript consumer of the Node entry and of `/browser`, compiled under node16, nodenext and
// bundler resolution against the installed tarball (not the repository's sources).
import createConnector, { configGuard, sendMessage, validateConfig, type SendResult, type TencentSmsErrorData } from 'connector-tencent-sms-wasm';
import init, { type InitInput, validateConfig as validateInBrowser } from 'connector-tencent-sms-wasm/browser';

export async function send(config: unknown): Promise<SendResult> {
  const parsed = configGuard.safeParse(config);
  if (!parsed.success) {
    throw parsed.error;
  }
  const { valid } = validateConfig(parsed.data);
  void valid;
  const connector = await createConnector({ getConfig: async () => parsed.data });
  await connector.sendMessage({ to: '8613711112222', type: 'SignIn', payload: { code: '1' } });
  return sendMessage({ to: '8613711112222', type: 'Generic', payload: { code: '1' } }, parsed.data);
}

export const describe = (data: TencentSmsErrorData) => `${data.tencentCode ?? ''} ${data.delivery ?? ''}`;

export async function inBrowser(bytes: ArrayBuffer, response: Promise<Response>, module: WebAssembly.Module): Promise<boolean> {
  const inputs: InitInput[] = [new URL('https://example.test/x.wasm'), 'x.wasm', bytes, new Uint8Array(bytes), module];
  void inputs;
  await init(response);
  return validateInBrowser({}).valid;
}

// @ts-expect-error: outside the browser condition the default export is the Logto factory.
void createConnector(new URL('https://example.test/x.wasm'));
