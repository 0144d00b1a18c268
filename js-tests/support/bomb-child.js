// One send against a compressed bomb, in its own process so its RSS is measured cleanly:
// `node bomb-child.js <endpoint>` prints one JSON line { code, delivery, grewMiB, ms }.
import { sendMessage } from '../../pkg/lib/index.js';
import { makeConfig } from '../../tests/support/fixtures.js';

const [endpoint] = process.argv.slice(2);
const config = makeConfig(endpoint, { timeoutMs: 20_000 });
const message = { to: '8613711112222', type: 'SignIn', payload: { code: '123456' } };

// Warm up: the wasm is loaded and the code paths compiled before the baseline is taken.
await sendMessage(message, config).catch(() => {});
const before = process.memoryUsage().rss;
const started = performance.now();
const outcome = await sendMessage(message, config).then(
  () => ({ code: 'resolved' }),
  (error) => ({ code: error.code, delivery: error.data?.delivery }),
);
// maxRSS is the peak of the whole process in KiB: growth over the baseline bounds the send.
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ ...outcome, grewMiB: (peak - before) / 2 ** 20, ms: performance.now() - started }));
