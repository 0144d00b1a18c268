// The connector speaks every language Logto's console offers, and the Simplified Chinese operator
// guide (README.zh-CN.md) stays the English guide's twin: same sections, fields, codes, examples
// and links, so an edit to one without the other fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { connectorMetadataGuard } from '@logto/connector-kit';
import { builtInLanguages } from '@logto/phrases';

// metadata.js imports nothing, so this needs no build.
import { metadata } from '../pkg-template/lib/metadata.js';

const read = (name) => readFileSync(new URL(`../pkg-template/${name}`, import.meta.url), 'utf8');
const english = read('README.md');
const chinese = read('README.zh-CN.md');
const types = read('index.d.ts');
const packageJson = JSON.parse(read('package.json'));

const sorted = (values) => [...new Set(values)].sort();

/** Prose and code apart: fenced blocks are compared whole, the rest by what it names. */
const parse = (markdown) => {
  const blocks = [];
  const prose = [];
  let block;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      if (block) {
        blocks.push(block.join('\n'));
        block = undefined;
      } else {
        block = [];
      }
    } else if (block) {
      block.push(line);
    } else {
      prose.push(line);
    }
  }
  const text = prose.join('\n');
  return {
    blocks,
    headingLevels: prose.filter((line) => /^#{1,6} /.test(line)).map((line) => line.match(/^#+/)[0].length),
    bold: sorted([...text.matchAll(/\*\*([A-Za-z]\w*)\*\*/g)].map(([, name]) => name)),
    code: sorted([...text.matchAll(/`([^`\n]+)`/g)].map(([, span]) => span)),
    links: sorted([...text.matchAll(/\]\((https?:[^)\s]+)\)/g)].map(([, url]) => url)),
  };
};

const en = parse(english);
const zh = parse(chinese);

/** Config and template properties: the fields the guide documents in bold. */
const configKeys = ['TencentSmsConfig', 'TencentSmsTemplate'].flatMap((name) => {
  const body = types.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))?.[1] ?? '';
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map(([, key]) => key);
});

test('name and description in exactly the languages Logto’s console offers', () => {
  assert.equal(builtInLanguages.length, 18);
  assert.deepEqual(sorted(Object.keys(metadata.name)), sorted(builtInLanguages));
  assert.deepEqual(sorted(Object.keys(metadata.description)), sorted(builtInLanguages));
  for (const language of builtInLanguages) {
    assert.ok(metadata.name[language].trim().length > 0, `name.${language}`);
    assert.ok(metadata.description[language].trim().length > 20, `description.${language}`);
  }
  assert.equal(connectorMetadataGuard.safeParse(metadata).success, true);
});

test('every name and description outside English is translated, not the English text', () => {
  // "Tencent Cloud SMS" is the product's own name and may stay as it is in a name.
  const copies = builtInLanguages.filter((language) => language !== 'en' && metadata.description[language] === metadata.description.en);
  assert.deepEqual(copies, []);
});

test('the Chinese guide is shipped and linked from the first lines of the English one', () => {
  assert.ok(packageJson.files.includes('README.zh-CN.md'));
  const top = english.split('\n').slice(0, 6).join('\n');
  assert.match(top, /\]\(README\.zh-CN\.md\)/);
  assert.match(chinese.split('\n').slice(0, 6).join('\n'), /\]\(README\.md\)/);
});

test('the Chinese guide has the English guide’s sections, in order', () => {
  assert.ok(en.headingLevels.length >= 5);
  assert.deepEqual(zh.headingLevels, en.headingLevels);
});

test('the Chinese guide documents the same fields', () => {
  const fields = (guide) => guide.bold.filter((name) => configKeys.includes(name));
  assert.ok(configKeys.includes('accessKeyId') && configKeys.includes('templateCode'));
  assert.deepEqual(fields(en), sorted(configKeys), 'the English guide documents every config key');
  assert.deepEqual(fields(zh), fields(en));
});

test('the Chinese guide names the same values, codes and links', () => {
  // Each guide names the other one, not itself.
  const guides = /^README(\.zh-CN)?\.md$/;
  en.code = en.code.filter((span) => !guides.test(span));
  zh.code = zh.code.filter((span) => !guides.test(span));
  const missing = en.code.filter((span) => !zh.code.includes(span));
  const extra = zh.code.filter((span) => !en.code.includes(span));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
  assert.deepEqual(zh.links, en.links);
});

test('the Chinese guide has the same examples, unchanged', () => {
  assert.ok(en.blocks.length > 0);
  assert.deepEqual(zh.blocks, en.blocks);
});
