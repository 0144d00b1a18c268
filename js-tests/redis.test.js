// sendLimits shared through a real redis-server (Debian's, started here on a loopback port and
// stopped by PID): two Logto processes share one limit exactly, keys are per account and expire
// with their window, a Redis Cluster URL works, and a Redis that dies or stalls never blocks a
// send (each waits 100 ms at most, then this process counts). Without redis-server the tests
// that need one are skipped with one line, unless REQUIRE_REDIS=1 (as .ci/run sets).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';

import { createClient } from 'redis';

import { COUNT_SCRIPT, REDIS_TIMEOUT_MS, createRedisCounter, redisClientOptions } from '../pkg/lib/redis.js';

import { makeConfig, secretId, secretKey } from '../tests/support/fixtures.js';
import { installLikeLogto } from '../tests/support/logto-host.js';
import { findRedisCli, findRedisServer, missingRedisMessage, redisRequired, startRedisServer } from '../tests/support/redis-server.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const redisServer = findRedisServer();
if (!redisServer && redisRequired()) {
  throw new Error(`REQUIRE_REDIS=1 but ${missingRedisMessage}`);
}
const skip = redisServer ? false : missingRedisMessage;
const child = fileURLToPath(new URL('./support/limit-child.js', import.meta.url));
const code = (to, ip) => ({ to, type: 'SignIn', payload: { code: '123456' }, ip });
/** The requests Tencent got for one account (warm-up sends use another). */
const requestsOf = (server, config) => server.requests.filter(({ body }) => body?.SmsSdkAppId === config.sdkAppId);

describe('REDIS_URL is read as Logto core reads it', () => {
  test('a plain URL, and a "yes" value for the default localhost:6379', () => {
    const { client } = redisClientOptions('redis://:p%5Ess@127.0.0.1:6390/2');
    assert.equal(client.url, 'redis://:p%5Ess@127.0.0.1:6390/2');
    assert.equal(client.socket.tls, false);
    assert.equal(client.socket.rejectUnauthorized, false, "Logto's default: reject_unauthorized must be given");
    assert.equal(redisClientOptions('1').client.url, undefined);
    assert.equal(redisClientOptions('yes').client.url, undefined);
    assert.equal(redisClientOptions(''), undefined);
    assert.equal(redisClientOptions(undefined), undefined);
  });

  test('rediss: with the certificate files its parameters name', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'redis-tls-'));
    try {
      for (const name of ['cert.pem', 'key.pem', 'ca.pem']) {
        writeFileSync(path.join(folder, name), `-----${name}-----`);
      }
      const url = `rediss://default:secret@redis.internal:6380?cert=${folder}/cert.pem&key=${folder}/key.pem&certroot=${folder}/ca.pem&reject_unauthorized=1`;
      const { socket } = redisClientOptions(url).client;
      assert.equal(socket.tls, true);
      assert.equal(socket.rejectUnauthorized, true);
      assert.deepEqual([socket.cert, socket.key, socket.ca], ['-----cert.pem-----', '-----key.pem-----', '-----ca.pem-----']);
      assert.equal(socket.reconnectStrategy(1, Object.assign(new Error('x'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })), false);
      assert.equal(socket.reconnectStrategy(3, new Error('refused')), 1_500);
      assert.ok(socket.reconnectStrategy(6, new Error('refused')) instanceof Error, "Logto's client gives up after 5 tries");
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('cluster=1 with host= parameters: every node, the credentials decoded', () => {
    const { cluster } = redisClientOptions('redis://app:p%40ss%ZZ@10.0.0.1:7000?cluster=1&host=10.0.0.2:7001&host=10.0.0.3:7002');
    assert.deepEqual(cluster.rootNodes, [{ url: 'redis://10.0.0.1:7000' }, { url: 'redis://10.0.0.2:7001' }, { url: 'redis://10.0.0.3:7002' }]);
    assert.equal(cluster.useReplicas, true);
    assert.equal(cluster.defaults.username, 'app');
    assert.equal(cluster.defaults.password, 'p@ss%ZZ', 'a stray % is kept, as Logto keeps it');
    assert.equal(redisClientOptions('redis://10.0.0.1:7000?cluster=0').client.url, 'redis://10.0.0.1:7000?cluster=0');
  });

  test('without the host\'s redis package: per process, said once, and every count settles', async () => {
    const warnings = [];
    const count = createRedisCounter({
      redisUrl: 'redis://127.0.0.1:1',
      importRedis: () => Promise.reject(new Error("Cannot find package 'redis'")),
      warn: (line) => warnings.push(line),
    });
    for (let n = 0; n < 3; n += 1) {
      assert.equal(await count([{ key: 'k', max: 1, windowMs: 1_000 }]), undefined);
    }
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /REDIS_URL is set but the host has no `redis` package/);
    assert.equal(createRedisCounter({ redisUrl: '' }), undefined, 'no REDIS_URL, no counter');
  });
});

describe('with a real redis-server', { skip }, () => {
  let redis;
  let tencent;
  let install;
  let inspect;
  let nextApp = 1_400_200_000;
  const account = (overrides) => makeConfig(tencent.url, { sdkAppId: String(nextApp++), ...overrides });

  /**
   * One Logto instance: its own process, the connector loaded by Logto's loader, REDIS_URL set.
   * `warm`: it has sent once before (another account's code), so its Redis connection is up.
   */
  const instance = (config, sends, { redisUrl = redis.url, warm = true } = {}) =>
    new Promise((resolve, reject) => {
      const warmUp = warm ? { config: { ...config, sdkAppId: '1400999999', sendLimits: [{ by: 'country', max: 1_000_000, perSeconds: 1 }] }, data: code('8613999990000', '198.51.100.99') } : undefined;
      execFile(process.execPath, [child, install.connectorsDir, JSON.stringify({ config, sends, warmUp })], {
        env: { ...process.env, REDIS_URL: redisUrl },
        timeout: 60_000,
      }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout.trim().split('\n').pop()))));
    });

  before(async () => {
    redis = await startRedisServer();
    tencent = await startTencentServer({ credentials: { [secretId]: secretKey } });
    install = installLikeLogto();
    inspect = createClient({ url: redis.url });
    inspect.on('error', () => {}); // this test kills its server on purpose
    await inspect.connect();
  });
  after(async () => {
    await inspect?.disconnect().catch(() => {});
    await redis?.stop();
    await tencent?.close();
    install?.cleanup();
  });

  test('two Logto processes share one limit exactly: max 10 gives 10 sends in all, the 11th is refused in either', async () => {
    tencent.reset();
    const config = account({ sendLimits: [{ by: 'ip', max: 10, perSeconds: 3600 }] });
    // 16 sends at once from one address, 8 per instance.
    const batch = (first) => Array.from({ length: 8 }, (_, n) => code(`86137000${String(first + n).padStart(5, '0')}`, '203.0.113.10'));
    const [one, two] = await Promise.all([instance(config, batch(0)), instance(config, batch(8))]);
    const outcomes = [...one, ...two];
    assert.deepEqual(outcomes.filter((outcome) => !['sent', 'refused'].includes(outcome)), []);
    assert.equal(outcomes.filter((outcome) => outcome === 'sent').length, 10);
    assert.equal(requestsOf(tencent, config).length, 10, 'Tencent got exactly the 10 sends');
    for (const other of [instance(config, [code('8613700099999', '203.0.113.10')]), instance(config, [code('8613700099998', '203.0.113.10')])]) {
      assert.deepEqual(await other, ['refused']);
    }
    assert.equal(requestsOf(tencent, config).length, 10);
    assert.deepEqual(await instance(config, [code('8613700099997', '203.0.113.11')]), ['sent'], 'another address has its own count');
  });

  test('a fresh process\'s first sends wait for its first connection, so they are counted with the others', async () => {
    const config = account({ sendLimits: [{ by: 'ip', max: 2, perSeconds: 3600 }] });
    const sends = Array.from({ length: 6 }, (_, n) => code(`861370001000${n}`, '203.0.113.12'));
    const outcomes = await instance(config, sends, { warm: false });
    assert.deepEqual(outcomes.filter((outcome) => outcome === 'sent').length, 2, outcomes.join(', '));
    assert.equal(await inspect.get(`tencent-sms-limit:{${config.sdkAppId}}:ip:2/3600:203.0.113.12`), '2');
  });

  test('keys are namespaced by account and rule and expire with their window', async () => {
    const rules = [{ by: 'prefix', max: 2, perSeconds: 120 }, { by: 'country', max: 50, perSeconds: 600 }];
    const first = account({ sendLimits: rules });
    const second = account({ sendLimits: rules });
    // The same range from two accounts sharing one Redis: each has its own 2.
    const sends = (offset) => Array.from({ length: 3 }, (_, n) => code(`861360000${offset}${n}00`, '203.0.113.20'));
    const [a, b] = await Promise.all([instance(first, sends(1)), instance(second, sends(1))]);
    assert.deepEqual([a.filter((o) => o === 'sent').length, b.filter((o) => o === 'sent').length], [2, 2]);
    const keys = (await inspect.keys(`tencent-sms-limit:{${first.sdkAppId}}:*`)).sort();
    assert.deepEqual(keys, [
      `tencent-sms-limit:{${first.sdkAppId}}:country:50/600:CN`,
      `tencent-sms-limit:{${first.sdkAppId}}:prefix:2/120:+861360000`,
    ]);
    for (const key of keys) {
      const ttl = await inspect.pTTL(key);
      assert.ok(ttl > 0 && ttl <= (key.includes('prefix') ? 120_000 : 600_000), `${key}: ${ttl}`);
    }
    assert.equal(await inspect.get(keys[0]), '2', 'refused sends are not counted, in any rule');
  });

  test('the count script alone: all keys counted or none, one round trip, the counts returned', async () => {
    await inspect.set('tencent-sms-limit:{t}:a', '4');
    const run = (maxA) => inspect.eval(COUNT_SCRIPT, {
      keys: ['tencent-sms-limit:{t}:a', 'tencent-sms-limit:{t}:b'],
      arguments: [String(maxA), '60000', '10', '60000'],
    });
    assert.deepEqual(await run(4), [5, 1], 'over a: nothing counted');
    assert.equal(await inspect.get('tencent-sms-limit:{t}:b'), null);
    assert.deepEqual(await run(5), [5, 1]);
    assert.deepEqual([await inspect.get('tencent-sms-limit:{t}:a'), await inspect.get('tencent-sms-limit:{t}:b')], ['5', '1']);
    assert.ok((await inspect.pTTL('tencent-sms-limit:{t}:a')) > 0, 'a key found without expiry gets one');
  });

  test('Redis stalled, then killed, mid-run: sends go on within 100 ms of waiting, per-process limits apply, nothing hangs', async (t) => {
    tencent.reset();
    const warnings = [];
    t.mock.method(console, 'warn', (line) => warnings.push(line));
    const previous = process.env.REDIS_URL;
    process.env.REDIS_URL = redis.url; // read at this process's first limited send, as in Logto
    const { sendMessage } = await import('../pkg/lib/index.js');
    const config = account({ sendLimits: [{ by: 'prefix', max: 4, perSeconds: 3600 }] });
    const timed = async (n) => {
      const started = performance.now();
      const outcome = await Promise.race([
        sendMessage(code(`86135000${String(n).padStart(5, '0')}`, '203.0.113.30'), config).then(() => 'sent', (error) => error.code),
        new Promise((resolve) => setTimeout(resolve, 5_000, 'hung')).then((value) => value),
      ]);
      return { outcome, ms: performance.now() - started };
    };
    try {
      const shared = [];
      for (let n = 0; n < 3; n += 1) shared.push(await timed(n));
      assert.deepEqual(shared.map(({ outcome }) => outcome), ['sent', 'sent', 'sent']);
      const counted = await inspect.get(`tencent-sms-limit:{${config.sdkAppId}}:prefix:4/3600:+861350000`);
      assert.equal(counted, '3', 'counted in Redis');

      redis.pause(); // a Redis that accepts nothing and answers nothing
      const stalled = [];
      for (let n = 3; n < 6; n += 1) stalled.push(await timed(n));
      redis.resume();
      assert.deepEqual(stalled.map(({ outcome }) => outcome), ['sent', 'sent', 'sent'], 'this process counts from 0: 3 of its 4');
      for (const { ms } of stalled) {
        assert.ok(ms >= REDIS_TIMEOUT_MS - 5 && ms < 1_500, `each send waited for Redis ${REDIS_TIMEOUT_MS} ms at most: ${ms.toFixed(0)} ms`);
      }
      assert.equal(warnings.filter((line) => /did not answer within 100 ms/.test(line)).length, 1, 'one warning a minute');

      await redis.kill();
      const dead = [];
      for (let n = 6; n < 12; n += 1) dead.push(await timed(n));
      assert.deepEqual(dead.map(({ outcome }) => outcome), ['sent', 'rate_limit_exceeded', 'rate_limit_exceeded', 'rate_limit_exceeded', 'rate_limit_exceeded', 'rate_limit_exceeded'], 'the per-process limit: 4 in all');
      assert.ok(dead.every(({ ms }) => ms < 1_500), dead.map(({ ms }) => ms.toFixed(0)).join(', '));
      assert.equal(tencent.requests.length, 3 + 3 + 1);
      assert.ok(warnings.length <= 2, warnings.join('\n'));
    } finally {
      if (previous === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = previous;
      // On the same port: this process's client connects to it again at a later send.
      redis = await startRedisServer({ port: redis.port });
    }
  });

  const cli = findRedisCli(redisServer);
  test('a Redis Cluster (cluster=1&host=…): one deployment\'s keys share a slot, so one script counts them', { skip: cli ? false : 'no redis-cli beside redis-server to build a cluster' }, async () => {
    const nodes = [];
    try {
      for (let n = 0; n < 3; n += 1) {
        nodes.push(await startRedisServer({ extraArgs: ['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${n}.conf`, '--cluster-node-timeout', '2000'] }));
      }
      execFileSync(cli, ['--cluster', 'create', ...nodes.map(({ port }) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'ignore', timeout: 30_000 });
      // Wait until the cluster says it is ok (slots assigned and agreed).
      for (let attempt = 0; attempt < 50; attempt += 1) {
        const info = execFileSync(cli, ['-p', String(nodes[0].port), 'cluster', 'info'], { encoding: 'utf8' });
        if (/cluster_state:ok/.test(info)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const [first, ...others] = nodes;
      const url = `redis://127.0.0.1:${first.port}?cluster=1${others.map(({ port }) => `&host=127.0.0.1:${port}`).join('')}`;
      tencent.reset();
      const config = account({ sendLimits: [{ by: 'ip', max: 3, perSeconds: 60 }, { by: 'prefix', max: 100, perSeconds: 60 }, { by: 'country', max: 100, perSeconds: 60 }] });
      const sends = Array.from({ length: 5 }, (_, n) => code(`861340000${n}000`, '203.0.113.40'));
      const [one, two] = await Promise.all([instance(config, sends, { redisUrl: url }), instance(config, sends, { redisUrl: url })]);
      assert.equal([...one, ...two].filter((outcome) => outcome === 'sent').length, 3, [...one, ...two].join(', '));
      assert.equal(requestsOf(tencent, config).length, 3);
    } finally {
      for (const node of nodes) await node.stop();
    }
  });
});
