// README's lists of validation codes are the codes the validator can raise, no more, no fewer:
// read from every `report.error(…)`/`report.warn(…)` call of the Rust validator (an `IssueCode`
// variant, resolved to its name by the `issue_codes!` list, or an endpoint error's code) and the
// JS layer's own two. tests/one_source.rs checks the same lists against the enum itself; this test
// also catches a variant that nothing raises.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';

const source = (name) => readFileSync(new URL(`../src/${name}`, import.meta.url), 'utf8');
const validatorFiles = ['config.rs', ...readdirSync(new URL('../src/config/', import.meta.url)).map((name) => `config/${name}`), 'endpoint.rs', 'country_policy.rs'];
const rust = validatorFiles.map(source).join('\n');

/** The top-level arguments of the call whose `(` is at `open`. */
const callArguments = (text, open) => {
  const args = [];
  let depth = 0;
  let start = open + 1;
  let quoted = false;
  for (let index = open; index < text.length; index += 1) {
    const character = text[index];
    if (quoted) {
      if (character === '\\') index += 1;
      else if (character === '"') quoted = false;
      continue;
    }
    if (character === '"') quoted = true;
    else if ('([{'.includes(character)) depth += 1;
    else if (')]}'.includes(character)) {
      depth -= 1;
      if (depth === 0) {
        args.push(text.slice(start, index).trim());
        return args.filter(Boolean); // a trailing comma
      }
    } else if (character === ',' && depth === 1) {
      args.push(text.slice(start, index).trim());
      start = index + 1;
    }
  }
  throw new Error('unbalanced call');
};

const names = Object.fromEntries(
  [...source('validation.rs').matchAll(/^\s+([A-Z][A-Za-z]+) => "([a-z_]+)",$/gm)].map((match) => [`IssueCode::${match[1]}`, match[2]]),
);
const entryCodes = [...rust.matchAll(/Err\(\(\s*(IssueCode::[A-Za-z]+)/g)].map((match) => names[match[1]]);
const endpointCodes = [...rust.matchAll(/EndpointError\(\s*(IssueCode::[A-Za-z]+)/g)].map((match) => names[match[1]]);

const raised = (method) => {
  const codes = new Set();
  for (const match of rust.matchAll(new RegExp(`\\.${method}\\(`, 'g'))) {
    const args = callArguments(rust, match.index + match[0].length - 1);
    if (args.length !== 3) continue; // not Validation::error/warn
    const code = args[1];
    if (names[code]) codes.add(names[code]);
    else if (code === 'code' && method === 'error') endpointCodes.forEach((endpointCode) => codes.add(endpointCode));
    // countryPolicy entries: parse_entry's Err((IssueCode::…, text)), reported as entry_code.
    else if (code === 'entry_code' && method === 'error') entryCodes.forEach((entryCode) => codes.add(entryCode));
    else assert.fail(`cannot resolve the code ${code} of a .${method}( call`);
  }
  return codes;
};

/** The `- \`code\`:` bullets of the README list after `heading`. */
const documented = (readme, heading) => {
  const start = readme.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}"`);
  const lines = readme.slice(start + heading.length).split('\n');
  const codes = [];
  for (const line of lines.slice(1)) {
    const match = line.match(/^- `([a-z_]+)`/);
    if (!match) {
      if (codes.length > 0) break;
      continue;
    }
    codes.push(match[1]);
  }
  return codes.sort();
};

test("README documents exactly the validation codes the validator raises", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  // The JS layer's own: a config it cannot turn into JSON text, or one over the input budget.
  const errors = [...raised('error'), 'not_json', 'too_large'].sort();
  const warnings = [...raised('warn')].sort();
  assert.ok(errors.length > 5 && warnings.length > 5, `the scan finds the calls: ${errors} | ${warnings}`);
  assert.deepEqual(documented(readme, 'Error codes:'), [...new Set(errors)], 'error codes');
  assert.deepEqual(documented(readme, 'Warning codes:'), [...new Set(warnings)], 'warning codes');
  const engine = readFileSync(new URL('../pkg-template/lib/engine.js', import.meta.url), 'utf8');
  for (const code of ['not_json', 'too_large']) {
    assert.match(engine, new RegExp(`code: '${code}'`), `engine.js raises ${code}`);
  }
});
