// Child process of scripts/bench.mjs, one job per process: `node harness.mjs '<json job>'`.
// It is copied into the temp app where both connectors are installed, so bare imports resolve there
// as in a user's app, and it prints one JSON line of figures on stdout.
import { deepStrictEqual } from 'node:assert/strict';
import { openSync, writeSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { clientAddress, connectorConfig, countryPolicy50, localisedConfig, localisedMessage, message, sendLimits3, signInput, unusedFallback } from './fixtures.mjs';
import { signTc3 } from './tc3-node.mjs';

const answeredOk = (answer) => answer?.Response?.SendStatusSet?.[0]?.Code === 'Ok';

// What each sender resolves to when an SMS really went out.
const oursDelivered = (result) => typeof result?.serialNo === 'string' && result.serialNo !== '';
const delivered = {
  ours: (result) => typeof result?.serialNo === 'string' && result.serialNo !== '',
  oursLocales: (result) => typeof result?.serialNo === 'string' && result.serialNo !== '',
  oursPolicy: (result) => typeof result?.serialNo === 'string' && result.serialNo !== '',
  oursLimits: (result) => typeof result?.serialNo === 'string' && result.serialNo !== '',
  oursLimitsRedis: (result) => typeof result?.serialNo === 'string' && result.serialNo !== '',
  oursFallback: (result) => typeof result?.serialNo === 'string' && result.serialNo !== '' && result.route === 'primary',
  official: (result) => answeredOk(result?.body),
  bareFetch: answeredOk,
  bareGot: answeredOk,
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Senders of one SendSms request: the two connectors, and each one's HTTP client alone, called the
 * leanest way that client allows (fetch with a plain init object, AbortSignal.timeout and
 * arrayBuffer; got.post with a JSON response), on a request signed with node:crypto.
 */
const senders = {
  ours: connectorSender,
  /** Ours with 3 languages configured and a message carrying locale and uiLocales. */
  oursLocales: (options) => connectorSender({ ...options, localised: true }),
  /** Ours with a 50-entry countryPolicy: what the policy check costs a send. */
  oursPolicy: (job) => connectorSender({ ...job, countryPolicy: countryPolicy50 }),
  /** Ours with three sendLimits rules counted in this process (no REDIS_URL). */
  oursLimits: (job) => connectorSender({ ...job, sendLimits: sendLimits3, redisUrl: '' }),
  /** The same rules counted in the bench's redis-server: one script round trip per send. */
  oursLimitsRedis: (job) => connectorSender({ ...job, sendLimits: sendLimits3 }),
  /** Ours with a second Tencent account as fallback that the send never needs. */
  oursFallback: (job) => connectorSender({ ...job, fallback: unusedFallback }),
  official: connectorSender,
  /** The floor for any design that sends through the host's global fetch. */
  async bareFetch({ endpoint }) {
    const host = new URL(endpoint).host;
    return async () => {
      const { headers } = signTc3({ ...signInput, host, timestamp: nowSeconds() });
      // fetch sets Host from the URL, as ours relies on.
      delete headers.Host;
      const response = await fetch(endpoint, { method: 'POST', headers, body: signInput.payload, signal: AbortSignal.timeout(10_000) });
      response.headers.get('date');
      return JSON.parse(Buffer.from(await response.arrayBuffer()).toString('utf8'));
    };
  },
  async bareGot() {
    const { got } = await import('got');
    return async () => {
      const { headers } = signTc3({ ...signInput, timestamp: nowSeconds() });
      const response = await got.post(`https://${signInput.host}`, { headers, body: signInput.payload, responseType: 'json' });
      return response.body;
    };
  },
};

async function connectorSender({ specifier, endpoint, localised = false, countryPolicy, sendLimits, redisUrl, fallback, sendLog }) {
  // Read by ours at its first limited send, as Logto's REDIS_URL.
  process.env.REDIS_URL = redisUrl ?? '';
  const { default: createConnector } = await import(specifier);
  const base = localised ? localisedConfig(endpoint) : connectorConfig(endpoint);
  const config = { ...base, ...(countryPolicy && { countryPolicy }), ...(sendLimits && { sendLimits }), ...(fallback && { fallback }), ...(sendLog && { sendLog }) };
  const data = localised ? localisedMessage : message;
  const connector = await createConnector({ getConfig: async () => config });
  // As Logto's real sends call it: no config argument, the saved one comes from getConfig (a
  // config argument means the console's Test button, which ours checks in full first).
  if (sendLimits) {
    let sent = 0;
    return () => connector.sendMessage({ ...data, ip: clientAddress((sent += 1)) });
  }
  return () => connector.sendMessage(data);
}

// Logto calls the factory at load time with a getConfig that throws.
const getConfig = async () => {
  throw new Error('getConfig is not available while loading');
};

/** import + createConnector after the host's kit and zod are loaded, then the first config check. */
async function coldStart({ specifier }) {
  await import('@logto/connector-kit');
  await import('zod');
  const start = performance.now();
  const { default: createConnector } = await import(specifier);
  const connector = await createConnector({ getConfig });
  const created = performance.now();
  const parsed = connector.configGuard.safeParse(connectorConfig());
  const checked = performance.now();
  if (!parsed.success) {
    throw new Error(`config rejected: ${parsed.error.message}`);
  }
  return { createMs: created - start, firstCheckMs: checked - created };
}

/** `count` sends, at most `concurrency` in flight, timed and CPU-metered as one run. */
async function sendRun(send, isDelivered, count, concurrency) {
  let started = 0;
  let ok = 0;
  let firstFailure = null;
  const worker = async () => {
    while (started < count) {
      started += 1;
      try {
        const result = await send();
        if (isDelivered(result)) {
          ok += 1;
        } else {
          firstFailure ??= `unexpected result ${JSON.stringify(result).slice(0, 200)}`;
        }
      } catch (error) {
        firstFailure ??= String(error?.message ?? error);
      }
    }
  };
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { count, concurrency, ok, firstFailure, elapsedMs, cpuMicros: cpu.user + cpu.system };
}

async function sends({ kind, specifier, endpoint, warmUp, count, concurrency, redisUrl }) {
  const send = await senders[kind]({ specifier, endpoint, redisUrl });
  const isDelivered = delivered[kind];
  return {
    warmUp: await sendRun(send, isDelivered, warmUp, 1),
    sequential: await sendRun(send, isDelivered, count, 1),
    concurrent: await sendRun(send, isDelivered, count, concurrency),
  };
}

/**
 * Ours with sendLog on (the default) and "off" in this one process, run by turns (the order
 * flipped each round), sequential then at `concurrency`: the event's cost is a few µs of a
 * send's ~1 ms, below the spread between separate processes on a shared machine, so the pair is
 * measured where only the config differs. Per mode and phase, each round's figures.
 */
async function eventPair({ specifier, endpoint, warmUp, count, concurrency, rounds }) {
  const modes = {
    oursLogOn: await connectorSender({ specifier, endpoint }),
    oursLogOff: await connectorSender({ specifier, endpoint, sendLog: 'off' }),
  };
  for (const send of Object.values(modes)) {
    await sendRun(send, oursDelivered, warmUp, 1);
  }
  const figures = Object.fromEntries(Object.keys(modes).map((mode) => [mode, { sequential: [], concurrent: [] }]));
  for (let round = 0; round < rounds; round += 1) {
    for (const [phase, inFlight] of [['sequential', 1], ['concurrent', concurrency]]) {
      const order = round % 2 === 0 ? Object.keys(modes) : Object.keys(modes).reverse();
      for (const mode of order) {
        figures[mode][phase].push(await sendRun(modes[mode], oursDelivered, count, inFlight));
      }
    }
  }
  return figures;
}

/** µs per call of our signRequest and of node:crypto, alternating rounds; median round of each. */
async function signing({ specifier, warmUp, calls, rounds }) {
  const { signRequest } = await import(specifier);
  const signers = { ours: signRequest, node: signTc3 };
  // Equal output first, so the two timings are of the same work (ours leaves Host to fetch).
  const { Host, ...sendable } = signers.node(signInput).headers;
  deepStrictEqual(signers.ours(signInput), { ...signers.node(signInput), headers: sendable });
  let sink = 0;
  const time = (sign, n) => {
    const start = performance.now();
    for (let index = 0; index < n; index += 1) {
      sink += sign(signInput).authorization.length;
    }
    return ((performance.now() - start) * 1000) / n;
  };
  for (const sign of Object.values(signers)) {
    time(sign, warmUp);
  }
  const perCall = { ours: [], node: [] };
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, sign] of Object.entries(signers)) {
      perCall[name].push(time(sign, calls));
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { calls, rounds, oursMicros: median(perCall.ours), nodeMicros: median(perCall.node), sink };
}

/**
 * One send's count in Redis alone, through the package's own counter (lib/redis.js, as a send
 * uses it): `calls` rounds of three new keys, one script round trip each; latency per call.
 */
async function redisRoundTrip({ specifier, redisUrl, warmUp, calls }) {
  const file = path.join(process.cwd(), 'node_modules', specifier, 'lib', 'redis.js');
  const { createRedisCounter } = await import(pathToFileURL(file).href);
  const count = createRedisCounter({ redisUrl, warn: (line) => process.stderr.write(`${line}\n`) });
  const keys = (n) => ['ip', 'prefix', 'country'].map((by) => ({ key: `tencent-sms-limit:{bench}:${by}:1000000/3600:${n}`, max: 1_000_000, windowMs: 3_600_000 }));
  let answered = 0;
  for (let n = 0; n < warmUp; n += 1) {
    answered += (await count(keys(n))) ? 1 : 0;
  }
  const micros = [];
  const cpuBefore = process.cpuUsage();
  for (let n = warmUp; n < warmUp + calls; n += 1) {
    const start = performance.now();
    answered += (await count(keys(n))) ? 1 : 0;
    micros.push((performance.now() - start) * 1000);
  }
  const cpu = process.cpuUsage(cpuBefore);
  micros.sort((a, b) => a - b);
  return { calls, answered, medianMicros: micros[Math.floor(calls / 2)], p90Micros: micros[Math.floor(calls * 0.9)], cpuMicros: (cpu.user + cpu.system) / calls };
}

// Ours writes one event line per send (sendLog) with console.log to Logto's stdout, which on
// Linux is written synchronously when it is a pipe or a file (docker logs): here the same
// synchronous write goes to the null device, so the parent's buffer holds only the figures. (An
// fs.WriteStream would add a thread-pool hop per line that Logto's stdout does not have.)
const eventSink = openSync(os.devNull, 'w');
console.log = (...parts) => {
  writeSync(eventSink, `${parts.join(' ')}\n`);
};

const jobs = { coldStart, sends, eventPair, signing, redisRoundTrip };
const job = JSON.parse(process.argv[2]);
const figures = await jobs[job.mode](job);
// Exit at once: keep-alive sockets would otherwise hold the process open for seconds.
process.stdout.write(`${JSON.stringify(figures)}\n`, () => process.exit(0));
