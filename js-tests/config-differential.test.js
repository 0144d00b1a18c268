// Differential test: our wasm validator and the zod schema we hand Logto must accept and reject
// exactly the configs the official @logto/connector-tencent-sms@1.4.4 guard does, and flag the same
// fields. Set CONFIG_CORPUS_SEED to explore other random mutations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect, isDeepStrictEqual } from 'node:util';

import createOfficialConnector from '@logto/connector-tencent-sms';

import { configGuard, validateConfig } from '../pkg/lib/index.js';
import { DEFAULT_SEED, buildCorpus, findReservedKey } from './support/config-corpus.js';

const MIN_CORPUS = 300;
const MIN_RANDOM = 150;
const SHOWN_MISMATCHES = 5;

const seed = process.env.CONFIG_CORPUS_SEED ? Number(process.env.CONFIG_CORPUS_SEED) : DEFAULT_SEED;
const corpus = buildCorpus({ seed });

const { configGuard: officialGuard } = await createOfficialConnector({
  getConfig: () => {
    throw new Error('unused');
  },
});

const pathKey = (path) => JSON.stringify(path);
const pathSet = (items) => [...new Set(items.map((item) => pathKey(item.path)))].sort();

const show = (value) =>
  inspect(value, { depth: 6, breakLength: Infinity, maxArrayLength: 12, maxStringLength: 80 });
const oursSummary = (result) => ({
  valid: result.valid,
  errors: result.errors.map(({ path, code }) => `${pathKey(path)} ${code}`),
});
const zodSummary = (result) => ({
  success: result.success,
  issues: result.error?.issues.map(({ path, message }) => `${pathKey(path)} ${message}`) ?? [],
});

function failOnMismatches(mismatches, what) {
  if (mismatches.length === 0) {
    return;
  }
  const shown = mismatches.slice(0, SHOWN_MISMATCHES).map((mismatch, index) =>
    [
      `#${index + 1} ${mismatch.name}: ${mismatch.problem}`,
      `   config: ${show(mismatch.config)}`,
      ...Object.entries(mismatch.results).map(([label, result]) => `   ${label}: ${show(result)}`),
    ].join('\n'),
  );
  assert.fail(
    `${mismatches.length} of ${corpus.length} configs disagree (${what}; seed 0x${seed.toString(16)}); first ${shown.length}:\n` +
      shown.join('\n'),
  );
}

test('the corpus is large, seeded and free of our own optional fields', () => {
  const randomCount = corpus.filter((entry) => entry.kind === 'random').length;
  assert.ok(corpus.length >= MIN_CORPUS, `only ${corpus.length} configs`);
  assert.ok(randomCount >= MIN_RANDOM, `only ${randomCount} random mutations`);
  // Same seed, same corpus: a failure seen once can be reproduced.
  assert.ok(JSON.stringify(buildCorpus({ seed })) === JSON.stringify(corpus), `seed 0x${seed.toString(16)} gave two corpora`);
  const withReserved = corpus
    .map((entry) => ({ name: entry.name, key: findReservedKey(entry.config) }))
    .filter((entry) => entry.key);
  assert.deepStrictEqual(withReserved, [], 'these fields have their own rules and are not compared');
});

test('validateConfig accepts, rejects and flags paths like the official zod guard', () => {
  const mismatches = [];
  let accepted = 0;
  for (const { name, kind, config } of corpus) {
    const snapshot = structuredClone(config);
    const ours = validateConfig(config);
    const theirs = officialGuard.safeParse(config);
    const results = { ours: oursSummary(ours), zod: zodSummary(theirs) };
    const report = (problem) => mismatches.push({ name, problem, config: snapshot, results });

    if (ours.valid !== (ours.errors.length === 0)) {
      report('ours: `valid` contradicts `errors`');
    }
    if (ours.valid !== theirs.success) {
      report(`accept/reject differs (ours ${ours.valid}, zod ${theirs.success})`);
    } else if (!theirs.success && !isDeepStrictEqual(pathSet(ours.errors), pathSet(theirs.error.issues))) {
      report('failing paths differ');
    }
    // Hand-written expectations guard the oracle itself (e.g. a zod upgrade changing behaviour).
    if ((kind === 'valid' && !theirs.success) || (kind === 'invalid' && theirs.success)) {
      report(`zod disagrees with the corpus label "${kind}"`);
    }
    if (!isDeepStrictEqual(config, snapshot)) {
      report('validation mutated the config');
    }
    accepted += theirs.success ? 1 : 0;
  }
  console.log(
    `config differential (seed 0x${seed.toString(16)}): ${corpus.length} configs, ` +
      `${accepted} accepted, ${corpus.length - accepted} rejected by the official guard, ` +
      `${mismatches.length} mismatches`,
  );
  failOnMismatches(mismatches, 'validateConfig vs official guard');
});

test('our configGuard agrees with validateConfig and returns valid configs unchanged', () => {
  const mismatches = [];
  for (const { name, config } of corpus) {
    const snapshot = structuredClone(config);
    const ours = validateConfig(config);
    const guarded = configGuard.safeParse(config);
    const results = { validateConfig: oursSummary(ours), configGuard: zodSummary(guarded) };
    const report = (problem) => mismatches.push({ name, problem, config: snapshot, results });

    if (guarded.success !== ours.valid) {
      report(`accept/reject differs (configGuard ${guarded.success}, validateConfig ${ours.valid})`);
    } else if (guarded.success) {
      if (guarded.data !== config && !isDeepStrictEqual(guarded.data, snapshot)) {
        report('configGuard changed the config');
      }
    } else {
      const issues = guarded.error.issues.map(({ path, message }) => ({ path, message }));
      const errors = ours.errors.map(({ path, message }) => ({ path, message }));
      if (!isDeepStrictEqual(issues, errors)) {
        report('zod issues differ from our errors (paths or messages)');
      }
    }
    if (!isDeepStrictEqual(config, snapshot)) {
      report('configGuard mutated the config');
    }
  }
  failOnMismatches(mismatches, 'configGuard vs validateConfig');
});
