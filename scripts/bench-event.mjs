// What the per-send event (sendLog, issue 26) costs, measured in one process without a network:
// the engine's sendMessage over the built package (pkg/lib) with a fetch that answers from memory
// (a WHATWG Response of Tencent's success body, the request's SessionContext echoed as Tencent
// does), the event lines written synchronously to the null device as Logto's stdout is for a pipe
// or file. Rounds alternate on/off (order flipped each round) so drift and other load on the
// machine hit both alike; prints medians of CPU (process.cpuUsage) and wall time per send.
// `node scripts/bench-event.mjs [--rounds 15] [--sends 2000] [--concurrency 1] [--only on,off,core]`
// (--only: some modes, `core` is on without a log sink; one alone, for callgrind: `valgrind --tool=callgrind node … --only on`.)
import { openSync, readFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';

import { createEngine } from '../pkg/lib/engine.js';
import * as glue from '../pkg/lib/wasm/tencent_sms.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    sends: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '1' },
    only: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const sends = Number(values.sends);
const concurrency = Number(values.concurrency);

const sink = openSync(os.devNull, 'w');
let lines = 0;
const load = () => glue.initSync({ module: new WebAssembly.Module(readFileSync(new URL('../pkg/lib/wasm/tencent_sms_bg.wasm', import.meta.url))) });
const log = (line) => {
  lines += 1;
  writeSync(sink, `${line}\n`);
};
// `quiet`: the same engine without a log sink, so sendLog on costs only the core's part (the
// event computed in the wasm, carried and decoded) and not the line: splits the cost.
const engines = { logged: createEngine({ glue, load, log }), quiet: createEngine({ glue, load }) };

let serial = 0;
globalThis.fetch = async (url, init) => {
  serial += 1;
  // The send id is a UUID (36 characters) when the body has one.
  const at = init.body.indexOf('"SessionContext":"');
  const session = at < 0 ? '' : init.body.slice(at + 18, at + 54);
  const body = JSON.stringify({
    Response: {
      SendStatusSet: [{ SerialNo: `2640:${serial}`, PhoneNumber: '+8613711112222', Fee: 1, SessionContext: session, Code: 'Ok', Message: 'send success', IsoCode: 'CN' }],
      RequestId: `0a1b2c3d-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json', date: new Date().toUTCString() } });
};

const config = {
  accessKeyId: 'AKIDbench000000000001',
  accessKeySecret: 'benchSecretKey00000000000000001',
  signName: 'BenchSign',
  sdkAppId: '1400000001',
  region: 'ap-guangzhou',
  templates: ['SignIn', 'Register', 'ForgotPassword', 'Generic'].map((usageType) => ({ usageType, templateCode: '100001' })),
  endpoint: 'http://127.0.0.1:8999',
};
const configs = { on: config, off: { ...config, sendLog: 'off' }, core: config };
const message = { to: '+8613711112222', type: 'SignIn', payload: { code: '123456' } };

/** `sends` sends with `config`, at most `concurrency` in flight: CPU and wall µs per send. */
const run = async (mode) => {
  const { sendMessage } = engines[mode === 'core' ? 'quiet' : 'logged'];
  const given = configs[mode];
  let started = 0;
  const worker = async () => {
    while (started < sends) {
      started += 1;
      // As Logto's Test passes it: the engine takes the config per call (the Node entry reads it
      // from getConfig and passes it the same way).
      const result = await sendMessage(message, given);
      if (!result?.serialNo) {
        throw new Error(`unexpected result ${JSON.stringify(result)}`);
      }
    }
  };
  const linesBefore = lines;
  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = Number(process.hrtime.bigint() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const expected = mode === 'on' ? sends : 0;
  if (lines - linesBefore !== expected) {
    throw new Error(`${mode}: ${lines - linesBefore} event lines, expected ${expected}`);
  }
  return { cpu: (cpu.user + cpu.system) / sends, wall: wall / sends };
};

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const modes = values.only ? values.only.split(',') : ['on', 'off'];
// Warm-up: JIT and the wasm instance, both modes.
for (const mode of modes) {
  await run(mode);
}
const figures = Object.fromEntries(modes.map((mode) => [mode, []]));
for (let round = 0; round < rounds; round += 1) {
  for (const mode of round % 2 === 0 ? modes : [...modes].reverse()) {
    figures[mode].push(await run(mode));
  }
}
const show = (mode) => {
  const cpu = median(figures[mode].map((f) => f.cpu));
  const wall = median(figures[mode].map((f) => f.wall));
  return { cpu, wall, line: `${mode}: CPU ${cpu.toFixed(1)} µs/send, wall ${wall.toFixed(1)} µs/send` };
};
console.error(`${sends} sends × ${rounds} rounds, concurrency ${concurrency}, load ${os.loadavg()[0].toFixed(2)}`);
for (const mode of modes) {
  console.error(show(mode).line);
}
if (figures.on && figures.off) {
  const on = show('on');
  const off = show('off');
  // Paired: each round's on against the off run beside it.
  const paired = median(figures.on.map((f, index) => f.cpu / figures.off[index].cpu));
  console.error(`on/off: CPU ${(on.cpu / off.cpu).toFixed(3)}× (paired median ${paired.toFixed(3)}×, +${(on.cpu - off.cpu).toFixed(1)} µs), wall ${(on.wall / off.wall).toFixed(3)}×`);
}
