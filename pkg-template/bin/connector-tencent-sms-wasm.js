#!/usr/bin/env node
// The package's command, for the machine running Logto (`npx connector-tencent-sms-wasm …`):
// send a code, validate a config, rehearse it (doctor), or ask Tencent whether an SMS arrived. Node only. A
// subcommand is one entry of `commands`; every mistake prints one line and the usage, and exits
// with 2, never a stack trace.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const name = 'connector-tencent-sms-wasm';

/** A mistake in how the command was called: one line, then the usage. */
class UsageError extends Error {}
/** The command ran and failed (Tencent refused, the config is invalid): one line, exit 1. */
class Failure extends Error {}

const readConfig = (file) => {
  if (file === undefined) {
    throw new UsageError('--config <file> is required');
  }
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${error.code ?? error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON: ${error.message}`);
  }
};

/** `+` and digits, from what an operator or Logto writes (`8613711112222`, `+86 137 1111 2222`). */
const phoneNumber = (value) => {
  if (value === undefined) {
    throw new UsageError('--to <phone number> is required');
  }
  const digits = value.replace(/[\s-]/g, '').replace(/^\+|^00/, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) {
    throw new UsageError(`--to must be a phone number with its country code, e.g. +8613711112222 (got "${value.slice(0, 24)}")`);
  }
  return `+${digits}`;
};

const engine = async () => (await import('../lib/node.js')).engine;

/** A config the validator accepts, or a Failure naming its first error. */
const validConfig = async (file) => {
  const config = readConfig(file);
  const { valid, errors } = (await engine()).validateConfig(config);
  if (!valid) {
    throw new Failure(`${file} is not a valid config: ${errors[0].message} Run \`${name} validate --config ${file}\` for every issue.`);
  }
  return config;
};

/** Tencent keeps receipts for 7 days (a minute less, so clocks a little apart still agree). */
const MAX_SINCE_SECONDS = 7 * 24 * 3600 - 60;
const UNITS = { s: 1, m: 60, h: 3600, d: 86_400 };

const sinceSeconds = (value) => {
  const match = /^(\d{1,7})([smhd])$/.exec(value);
  if (!match) {
    throw new UsageError(`--since must be a number and a unit (s, m, h, d), e.g. 1h or 2d (got "${value.slice(0, 24)}")`);
  }
  return Number(match[1]) * UNITS[match[2]];
};

/** Receipts per page, and pages at most: 500 receipts is more than one number gets in 7 days. */
const PAGE = 100;
const MAX_PAGES = 5;

const commands = {
  send: {
    usage: 'send --config <file> --to <number> [--type SignIn] [--code 123456]',
    summary: 'send one verification code with a config, as Logto would',
    options: { config: { type: 'string' }, to: { type: 'string' }, type: { type: 'string', default: 'SignIn' }, code: { type: 'string', default: '123456' } },
    run: async ({ config: file, to, type, code }, out) => {
      const data = { to: phoneNumber(to).slice(1), type, payload: { code } };
      const config = await validConfig(file);
      try {
        const result = await (await engine()).sendMessage(data, config);
        if (result.dryRun) {
          out(`Not sent to Tencent (${result.reason}): the code is in Logto's mock SMS file.`);
          return;
        }
        out(`Sent: RequestId ${result.requestId}, SerialNo ${result.serialNo}, fee ${result.fee}, ${result.isoCode}, route ${result.route}.`);
      } catch (error) {
        throw new Failure(`Not sent [${error.code}]: ${error.data?.message ?? error.message}`);
      }
    },
  },
  validate: {
    usage: 'validate --config <file>',
    summary: 'check a config as Logto\'s console would, with every error and warning',
    options: { config: { type: 'string' } },
    run: async ({ config: file }, out) => {
      const { valid, errors, warnings } = (await engine()).validateConfig(readConfig(file));
      out(`${file}: ${valid ? 'valid' : 'INVALID'}, ${errors.length} errors, ${warnings.length} warnings`);
      for (const [kind, issues] of [['error', errors], ['warning', warnings]]) {
        for (const { path, code, message } of issues) {
          out(`  ${kind} ${path.join('.') || '(config)'} [${code}]: ${message}`);
        }
      }
      if (!valid) {
        throw new Failure(`${file} is not valid.`);
      }
    },
  },
  status: {
    usage: 'status --config <file> --to <number> [--since 1h] [--id <send id>]',
    summary: 'did it arrive? Tencent\'s delivery receipts for a number (kept 7 days)',
    options: { config: { type: 'string' }, to: { type: 'string' }, since: { type: 'string', default: '1h' }, id: { type: 'string' } },
    run: async ({ config: file, to, since, id }, out) => {
      const number = phoneNumber(to);
      let seconds = sinceSeconds(since);
      let span = since;
      const config = await validConfig(file);
      if (seconds > MAX_SINCE_SECONDS) {
        out(`Tencent keeps receipts for 7 days: looking back 7d, not ${since}.`);
        seconds = MAX_SINCE_SECONDS;
        span = '7d';
      }
      const { receiptMeaning } = await import('../lib/receipts.js');
      const now = Math.floor(Date.now() / 1000);
      const receipts = [];
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const params = { SmsSdkAppId: config.sdkAppId, PhoneNumber: number, BeginTime: now - seconds, EndTime: now, Offset: page * PAGE, Limit: PAGE };
        let response;
        try {
          response = await (await engine()).callTencent(config, 'PullSmsSendStatusByPhoneNumber', params);
        } catch (error) {
          throw new Failure(`Tencent did not give the receipts [${error.code}]: ${error.data?.message ?? error.message}`);
        }
        const set = Array.isArray(response.PullSmsSendStatusSet) ? response.PullSmsSendStatusSet : [];
        receipts.push(...set);
        if (set.length < PAGE) {
          break;
        }
      }
      const shown = id === undefined ? receipts : receipts.filter((receipt) => receipt.SessionContext === id);
      const which = id === undefined ? '' : ` of send ${id}`;
      out(`${shown.length} receipt${shown.length === 1 ? '' : 's'}${which} for ${number} in the last ${span}.`);
      for (const receipt of shown) {
        const { delivered, meaning, advice } = receiptMeaning(receipt);
        const when = Number.isSafeInteger(receipt.UserReceiveTime) ? new Date(receipt.UserReceiveTime * 1000).toISOString() : 'time unknown';
        const send = receipt.SessionContext ? `, send ${receipt.SessionContext}` : '';
        out(`${when}  ${delivered ? 'DELIVERED' : 'NOT DELIVERED'}: ${meaning}${advice ? `. What to do: ${advice}.` : '.'} (SerialNo ${receipt.SerialNo}${send})`);
      }
      if (receipts.length === PAGE * MAX_PAGES) {
        out(`Only the first ${PAGE * MAX_PAGES} receipts were read: narrow --since.`);
      }
    },
  },
  doctor: {
    usage: 'doctor --config <file>',
    summary: 'rehearse without sending: the validator\'s warnings, and every template and the signature checked with Tencent',
    options: { config: { type: 'string' } },
    run: async ({ config: file }, out) => {
      const config = readConfig(file);
      const { runDoctor } = await import('../lib/doctor.js');
      const { ok, items, calls } = await runDoctor(config, { out });
      out(`${file}: ${ok ? 'ready' : 'NOT READY'} (${items.length} item${items.length === 1 ? '' : 's'}, ${calls} call${calls === 1 ? '' : 's'} to Tencent, no SMS sent)`);
      if (!ok) {
        throw new Failure(`${file} has problems to fix before users meet them (listed above).`);
      }
    },
  },
};

const usage = () =>
  [
    `Usage: ${name} <command> [options]   (Node ${'>'}= 20; run where Logto runs)`,
    '',
    'Commands:',
    ...Object.entries(commands).map(([command, { usage: line, summary }]) => `  ${line}\n      ${summary}`),
    '',
    `${name} <command> --help shows one command's usage.`,
  ].join('\n');

/** Runs the command line `argv`; resolves to the exit code. `out`/`err` write one line. */
export const main = async (argv, { out = console.log, err = console.error } = {}) => {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      out(usage());
      return command === undefined ? 2 : 0;
    }
    if (!Object.hasOwn(commands, command)) {
      throw new UsageError(`unknown command "${command.slice(0, 40)}"`);
    }
    const { options, run, usage: line } = commands[command];
    let values;
    try {
      ({ values } = parseArgs({ args: rest, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
    } catch (error) {
      // parseArgs' own sentence, without its advice to use `--`.
      throw new UsageError(String(error.message).split('. ')[0].replace(/\.$/, ''));
    }
    if (values.help) {
      out(`Usage: ${name} ${line}`);
      return 0;
    }
    await run(values, out);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${name}: ${error.message}.\n\n${usage()}`);
      return 2;
    }
    if (error instanceof Failure) {
      err(`${name}: ${error.message}`);
      return 1;
    }
    err(`${name}: ${String(error?.message ?? error).split('\n')[0]}`);
    return 1;
  }
};

/** Whether Node runs this file (through npx's link too), not a test importing it. */
const isMain = () => {
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
};

if (isMain()) {
  process.exitCode = await main(process.argv.slice(2));
}
