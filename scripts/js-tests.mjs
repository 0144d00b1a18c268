// The Node test files of js-tests/ (support/ holds helpers), shared by `npm test` and
// `npm run test:node22` so both run exactly the same suite.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import { root } from './toolchain.mjs';

const testFiles = (directory) =>
  readdirSync(directory)
    .flatMap((name) => {
      const entry = path.join(directory, name);
      if (statSync(entry).isDirectory()) {
        return name === 'support' ? [] : testFiles(entry);
      }
      return name.endsWith('.test.js') ? [entry] : [];
    })
    .sort();

export const jsTestFiles = () => testFiles(path.join(root, 'js-tests'));

/** `node --test` arguments for `files` (the whole suite by default), one file at a time (tests share ports and pkg/). */
export const jsTestArgs = (files = jsTestFiles()) => ['--test', '--test-concurrency=1', ...files];
