// Under the `browser` condition the root import is the browser entry, and its types say so.
import init, { signRequest, validateConfig } from 'connector-tencent-sms-wasm';
// Only as a type: the browser entry has no sendMessage (that needs the Node entry and the kit).
import { sendMessage } from 'connector-tencent-sms-wasm';

export async function check(url: URL, bytes: Uint8Array, module: WebAssembly.Module): Promise<string[]> {
  await init(url);
  await init(fetch(url));
  await init(bytes);
  await init(module);
  await init();
  const { errors } = validateConfig({});
  const { headers } = signRequest({ secretId: 'a', secretKey: 'b', service: 'sms', host: 'h', action: 'A', version: 'v', timestamp: 1, payload: '' });
  void headers;
  // @ts-expect-error: sendMessage is no value of the browser entry.
  void sendMessage;
  return errors.map(({ code }) => code);
}

// @ts-expect-error: init resolves to nothing, not to a connector (that is the Node entry's default).
export const notAConnector: Promise<{ metadata: unknown }> = init();
