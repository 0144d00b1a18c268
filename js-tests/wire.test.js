// Safe at the wire (issue 18): a hostile server on 127.0.0.1 in place of Tencent cannot exhaust
// memory with a compressed answer, hold a send past its timeout, or get a request resent by a
// redirect; hostile inputs are refused before they reach wasm memory; a short secret never
// garbles or spells itself out in a message.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { ConnectorError } from '@logto/connector-kit';

import { sendMessage, signRequest, validateConfig } from '../pkg/lib/index.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';
import { decode } from '../pkg/lib/wire.js';

import { signInput } from '../scripts/bench/fixtures.mjs';
import { everythingPrinted, makeConfig, startLocalTencent } from '../tests/support/fixtures.js';
import { rejection } from './support/rejection.js';

const MiB = 2 ** 20;
const message = (code = '123456') => ({ to: '8613711112222', type: 'SignIn', payload: { code } });

let tencent;
let config;
before(async () => ({ server: tencent, config } = await startLocalTencent()));
after(() => tencent?.close());

/** A raw HTTP server on loopback: `handle(request, response, count)` after the body is read. */
const rawServer = async (handle) => {
  const server = createServer((request, response) => {
    server.requests += 1;
    request.resume();
    request.on('end', () => handle(request, response, server.requests));
  });
  server.requests = 0;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${server.address().port}`;
  server.stop = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return server;
};

/** `mib` MiB of zeros through a compressor, fed 1 MiB at a time. */
const compressZeros = (compressor, mib) =>
  new Promise((resolve, reject) => {
    const out = [];
    compressor.on('data', (chunk) => out.push(chunk));
    compressor.on('end', () => resolve(Buffer.concat(out)));
    compressor.on('error', reject);
    const zeros = Buffer.alloc(MiB);
    let written = 0;
    const pump = () => {
      while (written < mib) {
        written += 1;
        if (!compressor.write(zeros)) {
          compressor.once('drain', pump);
          return;
        }
      }
      compressor.end();
    };
    pump();
  });

describe('compressed answers are capped by their decoded size', () => {
  let gzipBomb;
  let brotliBomb;
  const servers = {};
  before(async () => {
    // 300 KB of gzip is 300 MiB of zeros. The brotli bomb is 1 GiB of zeros at quality 9, kept
    // as a fixture because compressing it takes seconds (see the check below).
    const started = performance.now();
    gzipBomb = await compressZeros(zlib.createGzip({ level: 9 }), 300);
    brotliBomb = readFileSync(new URL('../tests/fixtures/zeros-1gib.br', import.meta.url));
    console.log(`bombs: gzip ${gzipBomb.length} bytes in ${(performance.now() - started).toFixed(0)} ms, brotli ${brotliBomb.length} bytes`);
    for (const [encoding, body] of [['gzip', gzipBomb], ['br', brotliBomb]]) {
      servers[encoding] = await rawServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding, 'content-length': body.length });
        response.end(body);
      });
    }
  });
  after(() => Promise.all(Object.values(servers).map((server) => server.stop())));

  test('the brotli fixture is a bomb: its first 256 MiB decode to zeros', async () => {
    let decoded = 0;
    const decoder = zlib.createBrotliDecompress();
    await new Promise((resolve, reject) => {
      decoder.on('data', (chunk) => {
        decoded += chunk.length;
        if (chunk.some((byte) => byte !== 0)) reject(new Error('not zeros'));
        if (decoded >= 256 * MiB) {
          decoder.destroy();
          resolve();
        }
      });
      decoder.on('error', reject);
      decoder.on('end', resolve);
      decoder.end(brotliBomb);
    });
    assert.ok(decoded >= 256 * MiB, `only ${decoded} bytes`);
  });

  for (const [name, encoding, maxBytes] of [['a brotli bomb', 'br', 4_000], ['a gzip bomb', 'gzip', 320_000]]) {
    test(`${name} rejects as invalid_response and the process grows by less than 64 MiB`, async () => {
      const bomb = encoding === 'br' ? brotliBomb : gzipBomb;
      assert.ok(bomb.length < maxBytes, `the bomb is ${bomb.length} bytes`);
      // Not spawnSync: this process serves the bomb.
      const child = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('./support/bomb-child.js', import.meta.url)), servers[encoding].url], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      const outcome = JSON.parse(child.stdout.trim().split('\n').pop());
      console.log(`${name} of ${bomb.length} bytes: ${JSON.stringify(outcome)}`);
      assert.equal(outcome.code, 'invalid_response');
      assert.equal(outcome.delivery, 'unknown');
      assert.ok(outcome.grewMiB < 64, `RSS grew by ${outcome.grewMiB.toFixed(1)} MiB for a ${bomb.length}-byte answer`);
    });
  }

  test('a Content-Length that understates the body does not let it past the cap', async () => {
    const error = await rejection(sendMessage(message(), { ...config, endpoint: servers.gzip.url }));
    assert.equal(error.code, 'invalid_response');
    assert.match(error.data.message, /larger than 1 MiB/);
    assert.equal(error.data.delivery, 'unknown');
  });

  for (const timeoutMs of [1_000, 1_500, 1_800]) {
    test(`with timeoutMs ${timeoutMs}, sends whose answer is still decoding settle within a second of it`, async () => {
      // A gzip stream of incompressible bytes, trickled: the timeout fires mid-body, mid-decode.
      const noise = zlib.gzipSync(randomBytes(64 * 1024));
      const trickle = await rawServer((request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        let at = 0;
        const timer = setInterval(() => {
          if (at >= noise.length || response.destroyed) {
            clearInterval(timer);
            response.end();
            return;
          }
          response.write(noise.subarray(at, at + 512));
          at += 512;
        }, 50);
        response.on('close', () => clearInterval(timer));
      });
      try {
        const sends = [...Array(3).keys()].flatMap(() => [
          sendMessage(message(), { ...config, timeoutMs, endpoint: trickle.url }),
          sendMessage(message(), { ...config, timeoutMs, endpoint: servers.br.url }),
        ]);
        const started = performance.now();
        const settled = await Promise.allSettled(sends.map((send) => send.finally(() => performance.now() - started)));
        const elapsed = performance.now() - started;
        assert.ok(elapsed < timeoutMs + 1_000, `the last send settled after ${elapsed.toFixed(0)} ms`);
        for (const { status, reason } of settled) {
          assert.equal(status, 'rejected');
          assert.ok(reason instanceof ConnectorError);
          assert.equal(reason.data.delivery, 'unknown');
        }
        const timedOut = settled.filter(({ reason }) => /did not answer within/.test(reason.data.message));
        assert.equal(timedOut.length, 3, 'the trickled answers time out');
      } finally {
        await trickle.stop();
      }
    });
  }
});

describe('redirects are never followed', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    test(`${status}: exactly one request, rejected with delivery unknown and advice`, async () => {
      const elsewhere = await rawServer((request, response) => response.end('{}'));
      const redirecting = await rawServer((request, response, count) => {
        response.writeHead(status, { location: count % 2 ? `${elsewhere.url}/` : `http://127.0.0.1:${redirecting.address().port}/` });
        response.end();
      });
      try {
        const error = await rejection(sendMessage(message(), { ...config, endpoint: redirecting.url }));
        assert.ok(error instanceof ConnectorError);
        assert.equal(error.code, 'invalid_response');
        assert.equal(error.data.status, status);
        assert.equal(error.data.delivery, 'unknown');
        assert.match(error.data.message, /redirect, which is never followed.*set endpoint/);
        assert.equal(redirecting.requests + elsewhere.requests, 1);
      } finally {
        await Promise.all([redirecting.stop(), elsewhere.stop()]);
      }
    });
  }
});

describe('endpoints WHATWG URL refuses are invalid', () => {
  const endpointCodes = (endpoint) => validateConfig(makeConfig(endpoint)).errors.map(({ code }) => code);

  test('the punycode hosts fetch refused in the fuzz run are invalid', () => {
    for (const host of ['xn--a.com', 'xn--zz', 'xn--bcher-kvb.com', 'sms.xn--99999999999.com', 'xn--a-ecp.com']) {
      assert.throws(() => new URL(`https://${host}/`), TypeError, `Node's URL accepts ${host}`);
      assert.deepEqual(endpointCodes(host), ['invalid_endpoint'], host);
      assert.deepEqual(endpointCodes(`https://${host}`), ['invalid_endpoint'], host);
    }
    for (const host of ['xn--bcher-kva.com', 'xn--fiqs8s.xn--fiqz9s', 'sms.xn--3e0b707e']) {
      assert.deepEqual(endpointCodes(host), [], host);
    }
  });

  test('differential: every endpoint the validator accepts, Node parses to the same host', () => {
    // Seeded: names from letters, digits, hyphens, dots and xn-- labels, some encoding real
    // Unicode names (through Node's own domainToASCII), some random.
    let seed = 0x5eed18;
    const random = (n) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * n);
    };
    const pick = (text) => text[random(text.length)];
    const common = 'aé中ü한ßяςか1-';
    const exotic = `${common}😀\u200dـاΣ`;
    const label = () => {
      const kind = random(4);
      if (kind === 0) {
        return Array.from({ length: 1 + random(8) }, () => pick('abcxyz019-')).join('');
      }
      if (kind === 1) {
        return `xn--${Array.from({ length: 1 + random(10) }, () => pick('abcdefghijklmnopqrstuvwxyz0123456789-')).join('')}`;
      }
      const name = Array.from({ length: 1 + random(5) }, () => pick(kind === 2 ? common : exotic)).join('');
      try {
        return new URL(`https://${name}/`).hostname;
      } catch {
        return `xn--${name.length}${pick('abcz')}`;
      }
    };
    const HOSTS = 5_000;
    let accepted = 0;
    let punycodeAccepted = 0;
    const wrong = [];
    for (let index = 0; index < HOSTS; index += 1) {
      const host = Array.from({ length: 1 + random(3) }, label).join('.');
      if (endpointCodes(host).length > 0) {
        continue;
      }
      accepted += 1;
      punycodeAccepted += host.includes('xn--') ? 1 : 0;
      let parsed;
      try {
        parsed = new URL(`https://${host}/`).host;
      } catch {
        parsed = 'refused';
      }
      if (parsed !== host) {
        wrong.push(`${host} -> ${parsed}`);
      }
    }
    console.log(`endpoint differential: ${HOSTS} hosts, ${accepted} valid (${punycodeAccepted} with xn-- labels), ${wrong.length} that Node changes or refuses`);
    assert.ok(punycodeAccepted > 50, 'the corpus reaches valid punycode');
    assert.deepEqual(wrong.slice(0, 10), []);
  });
});

describe('every input type is held to one size budget before it crosses into wasm', () => {
  const memory = () => glue.initSync().memory.buffer.byteLength;
  const big = 64 * MiB;
  const oversized = () => {
    const manyKeys = {};
    for (let index = 0; index < 100_000; index += 1) {
      manyKeys[`key${index}`] = index;
    }
    return {
      'a primitive string': 'x'.repeat(big),
      'a boxed string': new String('x'.repeat(big)),
      'a Uint8Array': new Uint8Array(2e7),
      'a Float64Array': new Float64Array(1e7),
      'an ArrayBuffer': new ArrayBuffer(2e7),
      'a DataView': new DataView(new ArrayBuffer(2e7)),
      'an object of 100,000 keys': manyKeys,
      '10^6 control characters': '\u0001'.repeat(1e6),
    };
  };

  test('validateConfig and sendMessage refuse each at once, with wasm memory unchanged', async () => {
    validateConfig(config);
    await sendMessage(message(), config);
    const start = memory();
    for (const [name, value] of Object.entries(oversized())) {
      for (const [where, wrap] of [['as the config', (v) => v], ['in a field', (v) => ({ ...config, signName: v })]]) {
        const timed = async (what, call) => {
          const started = performance.now();
          const outcome = await call();
          const elapsed = performance.now() - started;
          assert.ok(elapsed < 1_000, `${name} ${where}, ${what}: ${elapsed.toFixed(0)} ms`);
          return outcome;
        };
        const { valid, errors } = await timed('validateConfig', () => validateConfig(wrap(value)));
        assert.equal(valid, false, `${name} ${where}`);
        assert.ok(['too_large', 'not_json'].includes(errors[0].code), `${name} ${where}: ${errors[0].code}`);
        const asConfig = await timed('sendMessage config', () => rejection(sendMessage(message(), wrap(value))));
        assert.equal(asConfig.code, 'invalid_config');
        assert.equal(asConfig.data.delivery, 'not_sent');
        const asMessage = await timed('sendMessage message', () => rejection(sendMessage({ ...message(), to: value }, config)));
        assert.equal(asMessage.code, 'invalid_request_parameters');
      }
    }
    assert.equal(memory(), start, 'wasm memory did not grow');
    assert.equal(validateConfig({ ...config, signName: 'x'.repeat(2 * MiB) }).errors[0].code, 'too_large');
  });

  test('signRequest refuses oversized or binary text fields and payloads, with wasm memory unchanged', () => {
    signRequest({ ...signInput });
    const start = memory();
    const cases = {
      'a 64 MiB secretKey': { secretKey: 'x'.repeat(big) },
      'a boxed secretKey': { secretKey: new String('x'.repeat(big)) },
      'a 2 MiB region': { region: 'é'.repeat(MiB) },
      'a 64 MiB payload': { payload: 'x'.repeat(big) },
      'a boxed payload': { payload: new String('x'.repeat(big)) },
      'a 9 MiB Uint8Array payload': { payload: new Uint8Array(9 * MiB) },
      'an ArrayBuffer payload': { payload: new ArrayBuffer(9 * MiB) },
      'a DataView payload': { payload: new DataView(new ArrayBuffer(9 * MiB)) },
      'a Uint16Array payload': { payload: new Uint16Array(9 * MiB) },
    };
    for (const [name, overrides] of Object.entries(cases)) {
      const started = performance.now();
      assert.throws(() => signRequest({ ...signInput, ...overrides }), (error) => error instanceof ConnectorError && error.code === 'invalid_request_parameters', name);
      assert.ok(performance.now() - started < 1_000, name);
    }
    assert.equal(memory(), start, 'wasm memory did not grow');
  });

  test('3,000 {code} and a 500 KB code are refused before the values are built', async () => {
    const started = performance.now();
    const templates = config.templates.map((template) => ({ ...template, templateParams: ['{code}'.repeat(3_000)] }));
    const error = await rejection(sendMessage(message('1'.repeat(500_000)), { ...config, templates }));
    assert.equal(error.code, 'invalid_request_parameters');
    assert.equal(error.data.delivery, 'not_sent');
    assert.equal(error.data.trap, undefined);
    assert.ok(performance.now() - started < 1_000);
    const many = config.templates.map((template) => ({ ...template, templateParams: Array(3_000).fill('{code}') }));
    assert.equal((await rejection(sendMessage(message(), { ...config, templates: many }))).code, 'invalid_config');
  });
});

describe('every refusal says whether the SMS was sent', () => {
  test('the send refused at the in-flight cap is not_sent', () => {
    validateConfig(config);
    const configText = JSON.stringify({ ...config, endpoint: 'http://127.0.0.1:8' });
    const messageText = JSON.stringify(message());
    const begun = [];
    try {
      let refused;
      for (let index = 0; index < 5_000 && !refused; index += 1) {
        const out = decode(glue.sendBegin(configText, messageText, Date.now()));
        if (out.error) {
          refused = out.error;
        } else {
          begun.push(out.begun.send);
        }
      }
      assert.equal(begun.length, 4_096);
      assert.equal(refused.data.delivery, 'not_sent');
      assert.match(refused.data.message, /4096 sends are in flight.*not sent/);
    } finally {
      for (const send of begun) {
        glue.sendEnd(send);
      }
    }
  });

  test('invalid configs, messages and missing templates are not_sent', async () => {
    for (const [data, overrides] of [
      [message(), { region: 'ap guangzhou' }],
      [{ ...message(), to: 'abc' }, {}],
      [{ ...message(), type: 'Nope' }, { templates: config.templates.filter(({ usageType }) => usageType !== 'Generic') }],
      [message(), { accessKeyId: undefined }],
    ]) {
      const error = await rejection(sendMessage(data, { ...config, ...overrides }));
      assert.equal(error.data.delivery, 'not_sent', `${error.code}: ${error.data.message}`);
    }
  });
});

describe('a short secret never garbles a message or spells itself out', () => {
  const inWord = /[\p{L}\p{N}]\[redacted\]|\[redacted\][\p{L}\p{N}]/u;
  const markers = /[\uE000\uE001]/;

  for (const secret of ['e', 'the', 'short']) {
    test(`secret "${secret}": validator and send messages`, async () => {
      const hostile = {
        ...config,
        accessKeySecret: secret,
        region: secret,
        signName: ` ${secret} `,
        [secret]: true,
        regoin: 'ap-the-east',
        templates: [...config.templates, { usageType: `${secret} type`, templateCode: 'the code' }],
      };
      const { errors, warnings } = validateConfig(hostile);
      const texts = [...errors, ...warnings].map((issue) => `${issue.message} ${JSON.stringify(issue.path)}`);
      assert.ok(texts.length >= 5);
      for (const text of texts) {
        assert.doesNotMatch(text, inWord, text);
        assert.doesNotMatch(text, markers, text);
      }
      assert.ok(texts.some((text) => /accessKeySecret has \d+ characters/.test(text) || /shorter/.test(text)), texts.join('\n'));
      assert.ok(texts.some((text) => /region "\[redacted\]"/.test(text)), 'the secret quoted back is masked whole');

      const answer = await rawServer((request, response) =>
        response.end(`{"Response":{"Error":{"Code":"InternalError.Other","Message":"the service ${secret} is resting, see the ${secret}-docs"},"RequestId":"req-${secret}"}}`),
      );
      try {
        const sends = [
          rejection(sendMessage(message(), { ...config, accessKeySecret: secret, endpoint: answer.url })),
          rejection(sendMessage({ ...message(), to: `+1 ${secret}` }, { ...config, accessKeySecret: secret })),
          rejection(sendMessage({ ...message(), type: secret }, { ...config, accessKeySecret: secret, templates: config.templates.slice(0, 1) })),
          rejection(sendMessage(message(), { ...config, accessKeySecret: secret, endpoint: 'http://127.0.0.1:8', timeoutMs: 500 })),
        ];
        for (const error of await Promise.all(sends)) {
          const printed = everythingPrinted(error);
          assert.doesNotMatch(printed, inWord, printed);
          assert.doesNotMatch(printed, markers, printed);
        }
      } finally {
        await answer.stop();
      }
    });
  }
});
