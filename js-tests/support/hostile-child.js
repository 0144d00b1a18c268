// Run as its own process with no error handlers: any exception thrown outside a promise, or any
// unhandled rejection, would end it with a non-zero exit. Prints how many calls settled.
import { configGuard, sendMessage, signRequest, validateConfig } from '../../pkg/lib/index.js';

const revocable = Proxy.revocable({}, {});
revocable.revoke();
const sparse = [];
sparse.length = 2 ** 32 - 1;
const hostile = [
  new Proxy({}, { ownKeys: () => { throw new Error('ownKeys'); } }),
  revocable.proxy,
  Object.defineProperty([], 0, { enumerable: true, get: () => { throw new Error('getter'); } }),
  sparse,
  { timeoutMs: 1n },
];
const message = { to: '8613711112222', type: 'SignIn', payload: { code: '1' } };

const sends = hostile.flatMap((value) => [sendMessage(message, value), sendMessage(value, {})]);
let settled = 0;
for (const value of hostile) {
  validateConfig(value);
  // zod inspects a value before any check of ours; a revoked Proxy throws inside zod itself.
  if (value !== revocable.proxy) {
    configGuard.safeParse(value);
  }
  try {
    signRequest(value);
  } catch {
    // Expected: a ConnectorError, thrown synchronously.
  }
}
const results = await Promise.allSettled(sends.map((send) => send.finally(() => { settled += 1; })));
const allRejectedCleanly = results.every(({ status, reason }) => status === 'rejected' && reason?.code);
console.log(`settled ${settled} of ${sends.length}`);
process.exitCode = allRejectedCleanly ? 0 : 1;
