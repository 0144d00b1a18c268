// One Logto instance of the Redis tests, as its own process: loads the installed connector with
// Logto's loader (REDIS_URL comes from the environment, as Logto's does) and makes the sends
// argv[3] lists, all at once, as a busy instance would; after one `warmUp` send when given (an
// instance that has been running: its Redis connection is up). Prints one JSON line: each outcome.
import { loadWithLogtoLoader } from '../../tests/support/logto-host.js';

const [connectorsDir, request] = process.argv.slice(2);
const { config, sends, warmUp } = JSON.parse(request);
const { factory, buildRawConnector } = await loadWithLogtoLoader(connectorsDir);
const { rawConnector } = await buildRawConnector(factory, async () => config);
if (warmUp) {
  // Through the console Test's path, with its own config: another account, counted apart.
  await rawConnector.sendMessage(warmUp.data, warmUp.config).catch(() => {});
}
const outcomes = await Promise.all(
  sends.map((data) =>
    rawConnector.sendMessage(data).then(
      () => 'sent',
      (error) => (error?.code === 'rate_limit_exceeded' ? 'refused' : `failed: ${error?.code} ${error?.data?.message ?? error}`),
    ),
  ),
);
console.log(JSON.stringify(outcomes));
// A cluster client (node-redis has no unref for it) would keep this instance running, as Logto's
// does: the test is over.
process.exit(0);
