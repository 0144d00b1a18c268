// `npm run fuzz`: runs each cargo-fuzz target in fuzz/ for a bounded time and summarises the
// executions, corpus size and findings per target. Not part of CI: fuzzing needs nightly Rust.
//
//   node scripts/fuzz.mjs [--seconds N] [--target NAME]...
//
// Exits non-zero when a target has a finding (crash, leak, out-of-memory or timeout artifact in
// fuzz/artifacts/<target>/, including ones left by earlier runs) or a fuzzer run failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { root, run } from './toolchain.mjs';

const fuzzDir = path.join(root, 'fuzz');
const finding = /^(crash|leak|oom|timeout)-/;
// libFuzzer reports every corpus change; those lines drown the rest.
const noisy = /^#\d+\s+(NEW|REDUCE)\b/;

const usage = `usage: node scripts/fuzz.mjs [--seconds N] [--target NAME]...
  --seconds N    fuzzing time per target (default 60)
  --target NAME  run only this target (repeatable); default all of fuzz/fuzz_targets/`;

const options = (() => {
  try {
    return parseArgs({
      options: {
        seconds: { type: 'string', default: '60' },
        target: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`${error.message}\n${usage}`);
    process.exit(2);
  }
})();
if (options.help) {
  console.log(usage);
  process.exit(0);
}

const seconds = Number(options.seconds);
if (!Number.isInteger(seconds) || seconds < 1) {
  console.error(`--seconds must be a whole number of seconds, not ${options.seconds}\n${usage}`);
  process.exit(2);
}
const allTargets = readdirSync(path.join(fuzzDir, 'fuzz_targets'))
  .filter((file) => file.endsWith('.rs'))
  .map((file) => file.slice(0, -'.rs'.length))
  .sort();
const targets = options.target ?? allTargets;
const unknown = targets.filter((target) => !allTargets.includes(target));
if (unknown.length > 0) {
  console.error(`unknown target ${unknown.join(', ')}: choose from ${allTargets.join(', ')}`);
  process.exit(2);
}

const log = (message) => console.error(`[fuzz] ${message}`);
const succeeds = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'ignore' }).status === 0;

if (!succeeds('rustup', ['run', 'nightly', 'rustc', '--version'])) {
  log('installing the nightly toolchain (cargo-fuzz needs it for sanitizers)');
  run('rustup', ['toolchain', 'install', 'nightly', '--profile', 'minimal']);
}
if (!succeeds('cargo', ['fuzz', '--version'])) {
  log('installing cargo-fuzz (takes a few minutes)');
  run('cargo', ['install', 'cargo-fuzz', '--locked']);
}

// Builds first, so compile time does not eat into a target's budget; `cargo fuzz build` takes
// one target (or none, meaning all), so each is built on its own.
for (const target of targets) {
  log(`building ${target}`);
  run('cargo', ['+nightly', 'fuzz', 'build', target]);
}

const filesIn = (dir) => (existsSync(dir) ? readdirSync(dir) : []);

/** Runs one target, echoing libFuzzer's output; resolves to its exit code and final stats. */
const fuzz = (target) =>
  new Promise((resolve) => {
    // -timeout: an input taking 10 s is a finding, not something to wait 20 minutes for.
    const libFuzzerArgs = [`-max_total_time=${seconds}`, '-print_final_stats=1', '-timeout=10'];
    // New inputs go to the first corpus directory; the checked-in seeds are only read.
    const corpus = path.join(fuzzDir, 'corpus', target);
    mkdirSync(corpus, { recursive: true });
    const seeds = path.join(fuzzDir, 'seeds', target);
    const args = ['+nightly', 'fuzz', 'run', target, corpus, ...(existsSync(seeds) ? [seeds] : [])];
    args.push('--', ...libFuzzerArgs);
    const dictionary = path.join(fuzzDir, 'dictionaries', `${target}.dict`);
    if (existsSync(dictionary)) {
      args.push(`-dict=${dictionary}`);
    }
    log(`cargo ${args.join(' ')}`);
    const child = spawn('cargo', args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    let executions;
    let perSecond;
    let pending = '';
    const onLine = (line) => {
      const stat = line.match(/^stat::number_of_executed_units:\s*(\d+)/);
      if (stat) {
        executions = Number(stat[1]);
      }
      const speed = line.match(/^stat::average_exec_per_sec:\s*(\d+)/);
      if (speed) {
        perSecond = Number(speed[1]);
      }
      if (!noisy.test(line)) {
        process.stderr.write(`${line}\n`);
      }
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      lines.forEach(onLine);
    });
    child.on('close', (code, signal) => {
      if (pending) {
        onLine(pending);
      }
      resolve({ code: code ?? signal, executions, perSecond });
    });
  });

const results = [];
for (const target of targets) {
  const { code, executions, perSecond } = await fuzz(target);
  const artifactDir = path.join(fuzzDir, 'artifacts', target);
  const findings = filesIn(artifactDir).filter((file) => finding.test(file));
  results.push({
    target,
    executions,
    perSecond,
    corpus: filesIn(path.join(fuzzDir, 'corpus', target)).length,
    findings: findings.map((file) => path.relative(root, path.join(artifactDir, file))),
    failed: code !== 0,
  });
}

const describeFindings = (files) => {
  if (files.length === 0) {
    return 'none';
  }
  const counts = {};
  for (const file of files) {
    const kind = path.basename(file).match(finding)[1];
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return Object.entries(counts)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
};

const rows = [
  ['target', 'executions', 'exec/s', 'corpus', 'findings', 'run'],
  ...results.map((result) => [
    result.target,
    result.executions?.toLocaleString('en-US') ?? '?',
    result.perSecond?.toLocaleString('en-US') ?? '?',
    String(result.corpus),
    describeFindings(result.findings),
    result.failed ? 'FAILED' : 'ok',
  ]),
];
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
// Numbers right-aligned, text left-aligned.
const numeric = [false, true, true, true, false, false];
const format = (row) =>
  row
    .map((cell, column) => (numeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
    .join('  ')
    .trimEnd();
console.log(`\nFuzzing summary (${seconds} s per target)`);
console.log(format(rows[0]));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
rows.slice(1).forEach((row) => console.log(format(row)));

const problems = results.filter((result) => result.failed || result.findings.length > 0);
for (const result of problems) {
  for (const file of result.findings) {
    console.log(`reproduce: cargo +nightly fuzz run ${result.target} ${file}`);
  }
}
process.exitCode = problems.length > 0 ? 1 : 0;
