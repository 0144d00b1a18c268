// The package README is the operator's guide that Logto's console renders beside the form, in a
// column about 540 px wide: it must document every field once and fit that column.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

// metadata.js imports nothing, so this needs no build.
import { metadata } from '../pkg-template/lib/metadata.js';

const readme = readFileSync(new URL('../pkg-template/README.md', import.meta.url), 'utf8');
const types = readFileSync(new URL('../pkg-template/index.d.ts', import.meta.url), 'utf8');

// About 60 monospace characters fill the console's guide column; longer code lines scroll it.
const maxCodeLine = 60;
const maxTableColumns = 3;

/** A field counts as documented when the guide lists it in bold, as its field list does. */
const documented = (key) => readme.includes(`**${key}**`);

/** Property names of an interface in index.d.ts, so fields added to the types need a guide entry. */
const interfaceKeys = (name) => {
  const body = types.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`))?.[1];
  assert.ok(body, `index.d.ts declares ${name}`);
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((match) => match[1]);
};

const fencedLines = () => {
  const lines = [];
  let fenced = false;
  for (const line of readme.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
    } else if (fenced) {
      lines.push(line);
    }
  }
  return lines;
};

test('every form field is documented', () => {
  const keys = metadata.formItems.map(({ key }) => key);
  assert.ok(keys.length > 0);
  assert.deepEqual(keys.filter((key) => !documented(key)), []);
});

test('every template key the form prefills is documented', () => {
  const templates = metadata.formItems.find(({ key }) => key === 'templates');
  const keys = new Set(templates.defaultValue.flatMap((entry) => Object.keys(entry)));
  assert.deepEqual([...keys].filter((key) => !documented(key)), []);
});

test('every config and template property in the types is documented', () => {
  const keys = [...interfaceKeys('TencentSmsConfig'), ...interfaceKeys('TencentSmsTemplate')];
  assert.ok(keys.includes('accessKeyId') && keys.includes('templateCode'));
  assert.deepEqual(keys.filter((key) => !documented(key)), []);
});

test(`no code line is longer than ${maxCodeLine} characters`, () => {
  const lines = fencedLines();
  assert.ok(lines.length > 0, 'the guide has code blocks');
  // Characters, not bytes or UTF-16 units: "…" and "【】" count once.
  assert.deepEqual(lines.filter((line) => [...line].length > maxCodeLine), []);
});

test(`no table is wider than ${maxTableColumns} columns`, () => {
  const rows = readme.split('\n').filter((line) => /^\s*\|/.test(line));
  const wide = rows.filter((row) => row.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).length > maxTableColumns);
  assert.deepEqual(wide, []);
});

test('the guide names the connector id it shares with the official package', () => {
  assert.ok(readme.includes(metadata.id));
  assert.equal(metadata.readme, './README.md');
});
