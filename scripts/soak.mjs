// `npm run soak [-- COUNT]`: COUNT sequential sends (default 20,000) through the packed package to
// the local Tencent server, then wasm memory and RSS before and after. Exits 1 when wasm memory
// grew or RSS grew by more than 64 MiB. Too slow for `npm test`; run it after changing the binding.
import { build, isStale } from './build.mjs';
import { makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const count = Number(process.argv[2] ?? 20_000);
const WARM_UP = 2_000;
const MAX_RSS_GROWTH = 64 * 2 ** 20;

if (isStale()) {
  build();
}
const { sendMessage } = await import('../pkg/lib/index.js');
const glue = await import('../pkg/lib/wasm/tencent_sms.js');
const server = await startTencentServer({ credentials: { [secretId]: secretKey } });
try {
  const config = makeConfig(server.url);
  const message = { to: '8613711112222', type: 'SignIn', payload: { code: '123456' } };
  const sendMany = async (sends) => {
    for (let index = 0; index < sends; index += 1) {
      await sendMessage(message, config);
      // The fake keeps every request it saw.
      if (index % 500 === 0) {
        server.reset();
      }
    }
  };
  const measure = () => {
    global.gc?.();
    return { wasm: glue.initSync().memory.buffer.byteLength, rss: process.memoryUsage().rss };
  };
  await sendMany(WARM_UP);
  const before = measure();
  const started = performance.now();
  await sendMany(count - WARM_UP);
  const seconds = (performance.now() - started) / 1000;
  const after = measure();
  const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
  console.log(`after ${WARM_UP} sends: wasm ${mib(before.wasm)} MiB, RSS ${mib(before.rss)} MiB`);
  console.log(`after ${count} sends: wasm ${mib(after.wasm)} MiB, RSS ${mib(after.rss)} MiB (${Math.round((count - WARM_UP) / seconds)} sends/s)`);
  if (after.wasm !== before.wasm || after.rss - before.rss > MAX_RSS_GROWTH) {
    console.error('memory grew: see the figures above');
    process.exitCode = 1;
  }
} finally {
  await server.close();
}
