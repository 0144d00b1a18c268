// sendLog: every send, whatever its outcome (each fault of the local Tencent server, refusals,
// retries, the fallback, countryPolicy and sendLimits blocks, bad input), writes exactly one
// event line with the right fields; none of them holds a secret, the code or the full number.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { mockConnectorFilePaths } from '@logto/connector-kit';

import createConnector, { sendMessage, validateConfig } from '../pkg/lib/index.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';

import { makeConfig, secretKey, startLocalTencent } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const code = '918273';
const number = '8613711112222';
const message = (to = number) => ({ to, type: 'SignIn', payload: { code, locale: 'en' }, ip: '203.0.113.7' });
const secondId = 'AKIDsecondaccount0000000000000000000';
const secondKey = 'SecondSecretKey0123456789abcdefgh';

let server;
let second;
let config;
/** Every event line of this file, for the redaction check at the end. */
const everyLine = [];

before(async () => {
  ({ server, config } = await startLocalTencent());
  second = await startTencentServer({ credentials: { [secondId]: secondKey } });
});
after(async () => {
  await server?.close();
  await second?.close();
});

/** What `run` resolves to or rejects with, and the lines it wrote with console.log meanwhile. */
const printing = async (run) => {
  const lines = [];
  const original = console.log;
  console.log = (...args) => lines.push(args.join(' '));
  try {
    return { result: await run(), lines };
  } catch (error) {
    return { error, lines };
  } finally {
    console.log = original;
  }
};

/**
 * One send, with the event lines it wrote to stdout (console.log) while it ran. The servers are
 * reset before it starts; a mode set right after the call (before its first await resolves)
 * applies to its request.
 */
const send = async (sendConfig = config, data = message()) => {
  server.reset();
  second.reset();
  const { result, error, lines } = await printing(() => sendMessage(data, sendConfig));
  const events = lines.filter((line) => line.includes('"event":"tencent_sms_send"'));
  everyLine.push(...events);
  assert.equal(events.length, lines.length, `only event lines: ${lines.join('\n')}`);
  return { result, error, events: events.map((line) => JSON.parse(line)) };
};

/** The one event of a send, checked against what every event holds. */
const theEvent = ({ events }) => {
  assert.equal(events.length, 1, `exactly one event: ${JSON.stringify(events)}`);
  const [event] = events;
  assert.equal(event.event, 'tencent_sms_send');
  assert.match(event.id, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(event.time)));
  assert.ok(Number.isInteger(event.ms) && event.ms >= 0);
  return event;
};

test('sent: Tencent\'s RequestId, SerialNo, fee and country, the template and locale, the send id as SessionContext', async () => {
  const localized = makeConfig(server.url, { templates: [...config.templates, { usageType: 'SignIn', locale: 'en', templateCode: '200001' }] });
  const outcome = await send(localized);
  const event = theEvent(outcome);
  const [request] = server.requests;
  assert.deepEqual(
    { ...event, id: undefined, time: undefined, ms: undefined },
    {
      event: 'tencent_sms_send', id: undefined, time: undefined, ms: undefined,
      outcome: 'sent', requestId: request.requestId, serialNo: outcome.result.serialNo, fee: 1, isoCode: 'CN',
      templateId: '200001', locale: 'en', route: 'primary', attempts: 1, to: '+86…22',
    },
  );
  assert.equal(event.id, request.body.SessionContext);
});

describe('every fault of the local server: one failed event with the request that went out', () => {
  const faults = {
    hang: 'general', trickle: 'general', reset: 'general', html502: 'invalid_response', invalidJson: 'invalid_response',
    empty: 'invalid_response', noResponse: 'invalid_response', emptyStatusSet: 'invalid_response', missingCode: 'invalid_response',
    oversized: 'invalid_response', redirect: 'invalid_response',
  };
  for (const [fault, logtoCode] of Object.entries(faults)) {
    test(fault, async () => {
      server.reset();
      const outcome = await (async () => {
        const pending = send({ ...config, timeoutMs: 500 });
        server.set({ fault, trickleMs: 400 });
        return pending;
      })();
      const event = theEvent(outcome);
      assert.equal(event.outcome, 'failed');
      assert.equal(event.code, logtoCode);
      assert.equal(event.code, outcome.error.code);
      assert.equal(event.attempts, 1);
      assert.equal(event.templateId, '100001');
      assert.equal(event.to, '+86…22');
      assert.equal(event.tencentCode, undefined);
    });
  }
});

describe('Tencent\'s answers', () => {
  test('a per-number refusal is refused, with Tencent\'s code and RequestId', async () => {
    const pending = send();
    server.set({ numberCodes: { [`+${number}`]: 'LimitExceeded.PhoneNumberDailyLimit' } });
    const event = theEvent(await pending);
    assert.equal(event.outcome, 'refused');
    assert.equal(event.code, 'rate_limit_exceeded');
    assert.equal(event.tencentCode, 'LimitExceeded.PhoneNumberDailyLimit');
    assert.equal(event.requestId, server.requests[0].requestId);
    assert.equal(event.attempts, 1);
  });
  test('a request-level refusal (wrong key) is refused', async () => {
    const event = theEvent(await send({ ...config, accessKeyId: 'AKIDunknown000000000000000000000000' }));
    assert.equal(event.outcome, 'refused');
    assert.equal(event.code, 'invalid_config');
    assert.equal(event.tencentCode, 'AuthFailure.SecretIdNotFound');
  });
  test('InternalError, which may have sent, is failed, not refused', async () => {
    const pending = send();
    server.set({ requestCode: 'InternalError' });
    const event = theEvent(await pending);
    assert.equal(event.outcome, 'failed');
    assert.equal(event.tencentCode, 'InternalError');
  });
  test('rate-limited twice then sent: one event, three attempts', async () => {
    const pending = send();
    server.set({ rateLimitFirst: 2 });
    const event = theEvent(await pending);
    assert.equal(event.outcome, 'sent');
    assert.equal(event.attempts, 3);
    assert.equal(server.requests.length, 3);
    assert.equal(event.requestId, server.requests[2].requestId);
  });
  test('an empty package moves the send to a second account: one event, route fallback, two attempts', async () => {
    const withFallback = { ...config, fallbackCooldownSeconds: 0, fallback: { type: 'tencent', ...makeConfig(second.url), accessKeyId: secondId, accessKeySecret: secondKey } };
    const pending = send(withFallback);
    server.set({ requestCode: 'FailedOperation.InsufficientBalanceInSmsPackage' });
    const event = theEvent(await pending);
    assert.equal(event.outcome, 'sent');
    assert.equal(event.route, 'fallback');
    assert.equal(event.attempts, 2);
    assert.equal(event.requestId, second.requests[0].requestId);
  });
  test('nothing listening: failed, the request never left', async () => {
    const outcome = await send({ ...config, endpoint: 'http://127.0.0.1:2' });
    const event = theEvent(outcome);
    assert.equal(outcome.error.data.delivery, 'not_sent');
    assert.equal(event.outcome, 'failed');
    assert.equal(event.code, outcome.error.code);
    assert.equal(event.attempts, 1, 'built and tried, though it never reached anyone');
  });
});

describe('blocked before any request', () => {
  test('countryPolicy', async () => {
    const event = theEvent(await send({ ...config, countryPolicy: { allow: ['US'] } }));
    assert.equal(event.outcome, 'blocked');
    assert.equal(event.attempts, 0);
    assert.equal(event.to, '+86…22');
    assert.equal(server.requests.length, 0);
  });
  test('sendLimits', async () => {
    const limited = { ...config, sendLimits: [{ by: 'prefix', max: 1, perSeconds: 3600 }] };
    theEvent(await send(limited, message('8613711119991')));
    const event = theEvent(await send(limited, message('8613711119992')));
    assert.equal(event.outcome, 'blocked');
    assert.equal(event.code, 'rate_limit_exceeded');
    assert.equal(event.attempts, 0);
    assert.equal(event.to, '+86…92');
    assert.equal(server.requests.length, 0);
  });
});

describe('input the core never sends', () => {
  test('an invalid config: failed, invalid_config, no number', async () => {
    const { accessKeyId, ...invalid } = config;
    assert.ok(accessKeyId);
    const event = theEvent(await send(invalid));
    assert.equal(event.outcome, 'failed');
    assert.equal(event.code, 'invalid_config');
    assert.equal(event.to, undefined);
  });
  test('a number that is no number: failed, invalid_request_parameters', async () => {
    const event = theEvent(await send(config, message('not-a-number')));
    assert.equal(event.outcome, 'failed');
    assert.equal(event.code, 'invalid_request_parameters');
  });
  test('a config that is not JSON at all (a BigInt): failed', async () => {
    const event = theEvent(await send({ ...config, timeoutMs: 10n }));
    assert.equal(event.code, 'invalid_config');
  });
});

describe('a wasm trap (the instance is replaced): still exactly one event', () => {
  /** Corrupts whichever instance is live now; its next call traps (as trap-recovery.test.js). */
  const corruptLiveInstance = () => {
    validateConfig({});
    new Uint8Array(glue.initSync().memory.buffer).fill(0xff);
  };
  test('before the request left', async () => {
    corruptLiveInstance();
    const outcome = await send();
    const event = theEvent(outcome);
    assert.equal(outcome.error.data.delivery, 'not_sent');
    assert.equal(event.outcome, 'failed');
    assert.equal(event.code, 'general');
    assert.equal(server.requests.length, 0);
  });
  test('while the request was in flight', async () => {
    const pending = send();
    server.set({ hold: true });
    for (let waited = 0; server.requests.length === 0 && waited < 400; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(server.requests.length, 1, 'the request reached the server');
    corruptLiveInstance();
    server.release();
    const outcome = await pending;
    const event = theEvent(outcome);
    assert.equal(outcome.error.data.delivery, 'unknown');
    assert.equal(event.outcome, 'failed');
    assert.equal(event.code, 'general');
    server.reset();
  });
});

test('sendLog "off": no line, whether the send works or its input is bad', async () => {
  assert.deepEqual((await send({ ...config, sendLog: 'off' })).events, []);
  assert.deepEqual((await send({ ...config, sendLog: 'off', accessKeyId: 1 })).events, []);
  assert.deepEqual((await send({ ...config, sendLog: 'off' }, message('x'))).events, []);
});

describe('testNumbers and dryRun', () => {
  test('a rehearsal writes one dry_run event, and none with sendLog "off"', async () => {
    for (const rehearsal of [{ testNumbers: [`+${number}`] }, { dryRun: true }]) {
      const event = theEvent(await send({ ...config, ...rehearsal }));
      assert.equal(event.outcome, 'dry_run');
      assert.equal(event.attempts, 0);
      assert.equal(event.to, '+86…22');
      assert.deepEqual((await send({ ...config, ...rehearsal, sendLog: 'off' })).events, []);
      assert.equal(server.requests.length, 0);
    }
  });

  test('a mock file that cannot be written fails the send with one failed event that keeps the masked number', async () => {
    const file = mockConnectorFilePaths.Sms;
    const before = existsSync(file) ? readFileSync(file) : undefined;
    rmSync(file, { recursive: true, force: true });
    // A directory where the file goes: the write's rename over it fails, even for root.
    mkdirSync(path.join(file, 'blocker'), { recursive: true });
    try {
      const outcome = await send({ ...config, dryRun: true });
      const event = theEvent(outcome);
      assert.equal(outcome.error.code, 'general');
      assert.match(outcome.error.data.message, /could not be written to Logto's mock SMS file/);
      assert.equal(event.outcome, 'failed');
      assert.equal(event.to, '+86…22');
      assert.deepEqual(readdirSync(path.dirname(file)).filter((name) => name.endsWith('.tmp')), [], 'no staged file left');
    } finally {
      rmSync(file, { recursive: true, force: true });
      if (before) writeFileSync(file, before);
    }
  });
});

test("a send whose saved config Logto cannot read still writes one failed event", async () => {
  const connector = await createConnector({ getConfig: async () => { throw new Error('database unavailable'); } });
  const { error, lines } = await printing(() => connector.sendMessage(message()));
  assert.ok(error, 'the send failed');
  everyLine.push(...lines);
  assert.equal(lines.length, 1, lines.join('\n'));
  const event = JSON.parse(lines[0]);
  assert.equal(event.outcome, 'failed');
  assert.match(event.id, /^[0-9a-f-]{36}$/);
});

test('no event holds a secret, the code or the full number', () => {
  assert.ok(everyLine.length >= 20, `${everyLine.length} events`);
  for (const line of everyLine) {
    for (const secret of [secretKey, secondKey, code, '13711112222', '13711119992', 'not-a-number']) {
      assert.ok(!line.includes(secret), `${line} holds ${secret}`);
    }
  }
});
