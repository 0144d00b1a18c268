// sendLimits counters shared by every Logto instance, in the host's own Redis. REDIS_URL is read
// as Logto core reads it (packages/core/src/caches/index.ts: `cluster=1` with `host=` for a
// cluster, `rediss:` with `cert`, `key`, `certroot` and `reject_unauthorized` for TLS), and the
// `redis` package is imported from the host at first use, never bundled (Logto core depends on
// it). A send waits at most 100 ms for Redis: without an answer the core counts in this process,
// and a warning is logged at most once a minute. A Redis outage never blocks a sign-in.
import { readFileSync } from 'node:fs';

/** How long a send waits for Redis before the core counts in this process. */
export const REDIS_TIMEOUT_MS = 100;
const WARN_EVERY_MS = 60_000;
const prefix = '[connector-tencent-sms-wasm]';

/**
 * One round trip per send, atomic across instances. KEYS are the send's counters; ARGV holds
 * each key's max and window in ms. Returns each key's count with this send, and counts the send
 * (INCR, and PEXPIRE when a key's window starts: fixed windows from a key's first counted send)
 * only when no key goes past its max, so a refused send spends no rule's budget. The core's
 * per-process counters (src/counters.rs) follow the same rule. A key found without an expiry gets
 * one, so no counter outlives its window.
 */
export const COUNT_SCRIPT = `local counts, allowed = {}, true
for i, key in ipairs(KEYS) do
  counts[i] = (tonumber(redis.call('GET', key)) or 0) + 1
  if counts[i] > tonumber(ARGV[2 * i - 1]) then allowed = false end
end
if allowed then
  for i, key in ipairs(KEYS) do
    redis.call('INCR', key)
    if redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ARGV[2 * i]) end
  end
end
return counts`;

/** @silverhand/essentials' `yes`, as Logto core reads its boolean settings. */
const yes = (value) => Boolean(value) && ['1', 'true', 'y', 'yes', 'yep', 'yeah'].includes(value.toLowerCase());

const trySafe = (run) => {
  try {
    return run();
  } catch {
    return undefined;
  }
};

/** Logto core's safeDecode: `%XX` runs decoded for AUTH, a stray `%` kept. */
const safeDecode = (value) => value.replaceAll(/(?:%[\dA-Fa-f]{2})+/g, (sequence) => trySafe(() => decodeURIComponent(sequence)) ?? sequence);

/** Logto core's socket options, its reconnection included (5 tries, then the client closes). */
const socketOptions = (url) => {
  const file = (name) => {
    const path = url?.searchParams.get(name);
    return path ? readFileSync(path).toString() : undefined;
  };
  return {
    rejectUnauthorized: yes(url?.searchParams.get('reject_unauthorized')),
    tls: url?.protocol === 'rediss:',
    cert: file('cert'),
    key: file('key'),
    ca: file('certroot'),
    reconnectStrategy: (retries, cause) => {
      if (cause?.code === 'SELF_SIGNED_CERT_IN_CHAIN') {
        return false;
      }
      return retries > 5 ? new Error('Too many retries') : retries * 500;
    },
  };
};

/**
 * What `createClient` or `createCluster` gets for REDIS_URL, as in Logto core's
 * redisCacheFactory; `undefined` when REDIS_URL is empty. Without Logto's 60 s ping, which would
 * keep a library user's process alive: TCP keepalive (node-redis' default) keeps the connection
 * open through NAT instead.
 */
export const redisClientOptions = (redisUrl) => {
  if (!redisUrl) {
    return undefined;
  }
  const url = trySafe(() => new URL(redisUrl));
  if (url && yes(url.searchParams.get('cluster'))) {
    const hosts = [...(url.host ? [url.host] : []), ...url.searchParams.getAll('host')];
    return {
      cluster: {
        rootNodes: hosts.map((host) => ({ url: `redis://${host}` })),
        useReplicas: true,
        defaults: {
          socket: socketOptions(url),
          username: url.username ? safeDecode(url.username) : undefined,
          password: url.password ? safeDecode(url.password) : undefined,
        },
      },
    };
  }
  // A command waits for no reconnection: a send goes on at once on this process's counters.
  return { client: { url: yes(redisUrl) ? undefined : redisUrl, socket: socketOptions(url), disableOfflineQueue: true } };
};

/** After a client gave up reconnecting, the next send opens it again, at most this often. */
const RECONNECT_EVERY_MS = 5_000;
/**
 * A process's first connection takes longer than a round trip (loading the host's redis package
 * alone took 0.5-1 s on a busy 2-core machine): sends wait for it, until it is up or has failed
 * once, at most this long after it began, so the first sign-ins after a start are counted with
 * every other instance's. After that no send waits more than `timeoutMs`.
 */
const FIRST_CONNECTION_MS = 2_000;

/**
 * `promise`, or `late` after `ms`, whichever comes first. The timer is not unref'd: the socket
 * is, so this timer is what keeps a script awaiting a send alive while Redis answers.
 */
const within = async (promise, ms, late) => {
  let timer;
  try {
    return await Promise.race([promise, new Promise((resolve) => {
      timer = setTimeout(resolve, ms, late);
    })]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * A counter for the engine: `(counters) => Promise<number[] | undefined>` for `[{ key, max,
 * windowMs }]`, resolving within `timeoutMs` and never rejecting; `undefined` without REDIS_URL.
 * One Redis client per counter, connected at the first count; the Node entry makes one per
 * process. Where Logto's cache stays off after its client gave up, these counters open it again
 * at a later send, so limits are shared again soon after Redis is back.
 */
export const createRedisCounter = ({
  redisUrl = process.env.REDIS_URL,
  importRedis = () => import('redis'),
  warn = (message) => console.warn(message),
  timeoutMs = REDIS_TIMEOUT_MS,
} = {}) => {
  if (!redisUrl) {
    return undefined;
  }
  let client;
  let connecting;
  let settleFirstAttempt;
  /** Settles once the first connection is up or has failed once. */
  const firstAttempt = new Promise((resolve) => {
    settleFirstAttempt = resolve;
  });
  let connectedAt = -Infinity;
  /** Until when sends wait for the first connection. */
  let firstConnectionUntil;
  let everReady = false;
  let unusable = false;
  let warnedAt = -Infinity;
  const warnAtMostEveryMinute = (message) => {
    const now = Date.now();
    if (now - warnedAt >= WARN_EVERY_MS) {
      warnedAt = now;
      warn(`${prefix} ${message} sendLimits are counted in this process (per instance) until Redis answers; sends go on.`);
    }
  };
  /** For good: without the package or with unreadable certificate files, Redis never comes. */
  const giveUp = (why) => {
    unusable = true;
    warn(`${prefix} REDIS_URL is set but ${why}: sendLimits are counted in each process (per instance).`);
  };

  const connect = async () => {
    let redis;
    try {
      redis = await importRedis();
    } catch {
      giveUp("the host has no `redis` package (Logto core has one; the connector never bundles it)");
      return;
    }
    const { createClient, createCluster } = redis.createClient ? redis : redis.default ?? {};
    let options;
    try {
      options = redisClientOptions(redisUrl);
      client = options.cluster ? createCluster(options.cluster) : createClient(options.client);
    } catch (error) {
      giveUp(`its options could not be used (${String(error?.message ?? error).slice(0, 200)})`);
      return;
    }
    // node-redis emits `error` on every failed (re)connection; an unheard one would crash Logto.
    client.on('error', (error) => warnAtMostEveryMinute(`Redis failed (${String(error?.message ?? error).slice(0, 200)}).`));
    client.once('error', settleFirstAttempt);
    client.on('ready', () => {
      settleFirstAttempt();
      everReady = true;
    });
    // Never the reason a process stays alive (a script using the library, a test child).
    client.unref?.();
    await client.connect();
    // A cluster has no `ready` event, and takes commands only once it knows its slots.
    everReady = true;
  };

  /** Opens the client at the first count, and again once it gave up (after Logto's 5 tries). */
  const open = () => {
    const now = Date.now();
    if (connecting === undefined || (client !== undefined && !client.isOpen && now - connectedAt >= RECONNECT_EVERY_MS)) {
      connectedAt = now;
      firstConnectionUntil ??= now + FIRST_CONNECTION_MS;
      const attempt = client === undefined ? connect() : client.connect();
      connecting = attempt.catch((error) => warnAtMostEveryMinute(`Redis failed (${String(error?.message ?? error).slice(0, 200)}).`));
      connecting.then(settleFirstAttempt);
    }
  };

  const isReady = () => client !== undefined && ('isReady' in client ? client.isReady : everReady && client.isOpen);

  const countInRedis = async (counters) => {
    const keys = counters.map(({ key }) => key);
    const command = ['EVAL', COUNT_SCRIPT, String(keys.length), ...keys, ...counters.flatMap(({ max, windowMs }) => [String(max), String(windowMs)])];
    // As a raw command: node-redis 4's cluster `eval()` routes by its script, not its first key
    // (any node, then MOVED); a cluster is told the key (all share one slot, see the core's keys).
    const counts = await ('isReady' in client ? client.sendCommand(command) : client.sendCommand(keys[0], false, command));
    return Array.isArray(counts) && counts.length === counters.length && counts.every(Number.isSafeInteger) ? counts : 'unusable';
  };

  return async (counters) => {
    if (unusable) {
      return undefined;
    }
    open();
    if (!everReady && !isReady()) {
      const left = firstConnectionUntil - Date.now();
      if (left > 0) {
        await within(firstAttempt, left);
      }
      if (unusable) {
        return undefined;
      }
    }
    if (!isReady()) {
      // No send waits for a reconnection.
      warnAtMostEveryMinute('Redis is not connected.');
      return undefined;
    }
    try {
      const counts = await within(countInRedis(counters), timeoutMs, 'late');
      if (Array.isArray(counts)) {
        return counts;
      }
      warnAtMostEveryMinute(
        counts === 'late' ? `Redis did not answer within ${timeoutMs} ms.` : 'Redis gave an answer that is not a list of counts.',
      );
    } catch (error) {
      warnAtMostEveryMinute(`Redis failed (${String(error?.message ?? error).slice(0, 200)}).`);
    }
    return undefined;
  };
};
