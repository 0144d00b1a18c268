// The package's command, run as a child process the way npx runs it: --help lists the
// subcommands, every mistake is one line and the usage with exit code 2 (never a stack trace),
// and `status` prints delivered and failed receipts from the local Tencent server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { mockConnectorFilePaths } from '@logto/connector-kit';

import { sendMessage } from '../pkg/lib/index.js';

import { makeConfig, secretId, secretKey, startLocalTencent } from '../tests/support/fixtures.js';
import { startTencentServer } from '../tests/support/tencent-server.js';

const bin = fileURLToPath(new URL('../pkg/bin/connector-tencent-sms-wasm.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs the bin (never blocking: the local server lives in this process). */
const cli = (args, script = bin) =>
  new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 20_000, cwd: repoRoot }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });

const dir = mkdtempSync(path.join(tmpdir(), 'cli-test-'));
const file = (name, text) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};
after(() => rmSync(dir, { recursive: true, force: true }));

const noStack = (text) => assert.doesNotMatch(text, /\n\s+at |node:internal|ERR_PARSE_ARGS/, text);

test('--help lists every subcommand and exits 0; a command\'s --help shows its usage', async () => {
  const { code, stdout, stderr } = await cli(['--help']);
  assert.equal(code, 0, stderr);
  for (const command of ['send', 'validate', 'status', 'doctor']) {
    assert.match(stdout, new RegExp(`^  ${command} --config`, 'm'));
  }
  const status = await cli(['status', '--help']);
  assert.equal(status.code, 0);
  assert.match(status.stdout, /status --config <file> --to <number> \[--since 1h\] \[--id <send id>\]/);
});

describe('every mistake: one line, then the usage, exit 2', () => {
  const config = file('config.json', JSON.stringify(makeConfig('http://127.0.0.1:8080')));
  const cases = {
    'unknown command': [['stats'], /unknown command "stats"/],
    'unknown option': [['status', '--config', config, '--to', '+8613711112222', '--verbose'], /Unknown option '--verbose'/],
    'a positional argument': [['validate', 'my.json'], /Unexpected argument 'my\.json'/],
    'an option without its value': [['validate', '--config'], /--config/],
    'missing file': [['validate', '--config', path.join(dir, 'absent.json')], /cannot read .*absent\.json: ENOENT/],
    'bad JSON': [['validate', '--config', file('bad.json', '{"accessKeyId": ')], /bad\.json is not JSON/],
    'missing --config': [['status', '--to', '+8613711112222'], /--config <file> is required/],
    'missing --to': [['status', '--config', config], /--to <phone number> is required/],
    'a --to that is no number': [['send', '--config', config, '--to', 'alice'], /--to must be a phone number/],
    'a bad --since': [['status', '--config', config, '--to', '+8613711112222', '--since', 'yesterday'], /--since must be a number and a unit/],
    'no command at all': [[], /^/],
  };
  for (const [name, [args, line]] of Object.entries(cases)) {
    test(name, async () => {
      const { code, stdout, stderr } = await cli(args);
      assert.equal(code, 2, `${stdout}\n${stderr}`);
      const output = args.length === 0 ? stdout : stderr;
      noStack(output);
      const [first, blank, usage] = output.split('\n');
      if (args.length > 0) {
        assert.match(first, /^connector-tencent-sms-wasm: /);
        assert.match(first, line);
        assert.equal(blank, '');
        assert.match(usage, /^Usage: connector-tencent-sms-wasm <command>/);
      } else {
        assert.match(first, /^Usage: connector-tencent-sms-wasm <command>/);
      }
    });
  }
});

test('npm start -- --help prints its usage instead of dying on parseArgs; a bad option is one line', async () => {
  const start = fileURLToPath(new URL('../scripts/start.mjs', import.meta.url));
  const help = await cli(['--help'], start);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: npm start/);
  const bad = await cli(['--nope'], start);
  assert.equal(bad.code, 2);
  noStack(bad.stderr);
  assert.match(bad.stderr.split('\n')[0], /^npm start: Unknown option '--nope'\.$/);
});

describe('status against the local Tencent server', () => {
  let server;
  let config;
  let configFile;
  const delivered = '8613711112222';
  const failed = '8613711113333';
  const sent = {};
  before(async () => {
    ({ server, config } = await startLocalTencent());
    configFile = file('local.json', JSON.stringify(config));
    server.setReceipt(`+${failed}`, 'UNDELIV');
    for (const to of [delivered, failed]) {
      const result = await sendMessage({ to, type: 'SignIn', payload: { code: '123456' } }, config);
      sent[to] = { serialNo: result.serialNo, id: server.requests.at(-1).body.SessionContext };
    }
  });
  after(() => server?.close());

  test('a delivered receipt says so, with its SerialNo and send id, through a signed PullSmsSendStatusByPhoneNumber', async () => {
    const requestsBefore = server.requests.length;
    const { code, stdout, stderr } = await cli(['status', '--config', configFile, '--to', `+${delivered}`]);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^1 receipt for \+8613711112222 in the last 1h\.$/m);
    assert.match(stdout, new RegExp(`DELIVERED: delivered to the phone\\. \\(SerialNo ${sent[delivered].serialNo}, send ${sent[delivered].id}\\)`));
    const pull = server.requests.slice(requestsBefore);
    assert.equal(pull.length, 1);
    assert.equal(pull[0].headers['x-tc-action'], 'PullSmsSendStatusByPhoneNumber');
    assert.equal(pull[0].signatureValid, true);
    assert.equal(pull[0].answeredCode, null, 'the fake server accepted every parameter');
    assert.deepEqual(Object.keys(pull[0].body).sort(), ['BeginTime', 'EndTime', 'Limit', 'Offset', 'PhoneNumber', 'SmsSdkAppId']);
    assert.equal(pull[0].body.EndTime - pull[0].body.BeginTime, 3600);
  });

  test('a failed receipt gives the carrier\'s reason and what to do; --id keeps one send\'s receipts; --since is held to 7 days', async () => {
    const { code, stdout } = await cli(['status', '--config', configFile, '--to', `+${failed}`, '--since', '30d']);
    assert.equal(code, 0);
    assert.match(stdout, /^Tencent keeps receipts for 7 days: looking back 7d, not 30d\.$/m);
    assert.match(stdout, /NOT DELIVERED: undeliverable: .*What to do: ask the user to check the number\./);
    const other = await cli(['status', '--config', configFile, '--to', `+${failed}`, '--id', sent[delivered].id]);
    assert.match(other.stdout, /^0 receipts of send [0-9a-f-]{36} for \+8613711113333/m);
    const mine = await cli(['status', '--config', configFile, '--to', `+${failed}`, '--id', sent[failed].id]);
    assert.match(mine.stdout, /^1 receipt of send/m);
  });

  test('a refusal from Tencent is one line and exit 1', async () => {
    server.set({ requestCode: 'AuthFailure.SecretIdNotFound' });
    const { code, stderr } = await cli(['status', '--config', configFile, '--to', `+${delivered}`]);
    server.set({ requestCode: null });
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /\[invalid_config\].*AuthFailure\.SecretIdNotFound/);
  });
});

describe('doctor against the local Tencent server', () => {
  const templates = [
    { usageType: 'SignIn', templateCode: '100001' },
    { usageType: 'Register', templateCode: '100002' },
    { usageType: 'ForgotPassword', templateCode: '100003' },
    { usageType: 'Generic', templateCode: '100004' },
  ];
  const approved = Object.fromEntries(['100001', '100002', '100003', '100004'].map((id) => [id, { international: false, params: 1 }]));
  const config = (server) => makeConfig(server.url, { signName: '腾讯云', signId: '1110', templates });
  const start = (records) => startTencentServer({ credentials: { [secretId]: secretKey }, signs: { 1110: { name: '腾讯云' } }, templates: records });

  test('a clean config is ready with exit 0; an unapproved template is named with exit 1; no SMS either way', async () => {
    const clean = await start(approved);
    const broken = await start({ ...approved, 100001: { international: false, params: 1, status: 1 } });
    try {
      const ready = await cli(['doctor', '--config', file('doctor-clean.json', JSON.stringify(config(clean)))]);
      assert.equal(ready.code, 0, ready.stderr);
      assert.match(ready.stdout, /: ready \(0 items, 2 calls to Tencent, no SMS sent\)$/m);
      const notReady = await cli(['doctor', '--config', file('doctor-broken.json', JSON.stringify(config(broken)))]);
      assert.equal(notReady.code, 1);
      assert.match(notReady.stdout, /^problem: SignIn: template 100001 is not approved \(in review\)\.$/m);
      assert.match(notReady.stdout, /NOT READY/);
      assert.equal(notReady.stderr.trim().split('\n').length, 1, notReady.stderr);
      noStack(notReady.stderr);
      for (const server of [clean, broken]) {
        assert.deepEqual(server.requests.filter(({ action }) => action === 'SendSms'), [], 'doctor sends no SMS');
      }
    } finally {
      await Promise.all([clean.close(), broken.close()]);
    }
  });
});

test('send to a test number writes the code to Logto\'s mock SMS file and sends nothing', async () => {
  const { server, config } = await startLocalTencent();
  try {
    const configFile = file('test-numbers.json', JSON.stringify({ ...config, testNumbers: ['+8613700000001'] }));
    const { code, stdout, stderr } = await cli(['send', '--config', configFile, '--to', '+8613700000001', '--code', '246810']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Not sent to Tencent \(testNumbers\): the code is in Logto's mock SMS file\.$/m);
    const record = JSON.parse(readFileSync(mockConnectorFilePaths.Sms, 'utf8'));
    assert.deepEqual({ phone: record.phone, code: record.code }, { phone: '8613700000001', code: '246810' });
    assert.match(stdout, /"outcome":"dry_run"/, 'the send event says dry run');
    assert.equal(server.requests.length, 0);
  } finally {
    await server.close();
  }
});
