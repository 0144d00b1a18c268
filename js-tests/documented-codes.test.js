// The `issue_codes!` list is exactly the codes the validator can raise, no more, no fewer: read
// from every `report.error(…)`/`report.warn(…)` (and send_limits' `error_at`/`warn_at`) call of the Rust validator (an `IssueCode`
// variant, or an endpoint or policy-entry error's code) and the JS layer's own two. The README's
// lists and index.d.ts are checked against the same enum by tests/one_source.rs, so together the
// documentation names what is raised.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';

const source = (name) => readFileSync(new URL(`../src/${name}`, import.meta.url), 'utf8');
const validatorFiles = ['config.rs', ...readdirSync(new URL('../src/config/', import.meta.url)).map((name) => `config/${name}`), 'endpoint.rs', 'country_policy.rs', 'send_limits.rs', 'fallback.rs', 'send_event.rs', 'dry_run.rs'];
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
  // send_limits.rs reports through error_at(report, IssueCode::…, …) and warn_at(…).
  for (const match of rust.matchAll(new RegExp(`\\b${method}_at\\(`, 'g'))) {
    const code = callArguments(rust, match.index + match[0].length - 1)[1];
    if (names[code]) codes.add(names[code]);
  }
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

/** The names in the `issue_codes!` block `errors { … }` or `warnings { … }`, sorted. */
const listed = (block) => {
  const text = source('validation.rs');
  // The invocation, after the macro's own definition, which names the blocks too.
  const start = text.indexOf(`${block} {`, text.lastIndexOf('issue_codes! {'));
  assert.ok(start >= 0, `no ${block} block in issue_codes!`);
  const body = text.slice(start, text.indexOf('}', start));
  return [...body.matchAll(/=> "([a-z_]+)"/g)].map((match) => match[1]).sort();
};

test('the issue_codes! list holds exactly the validation codes the validator raises', () => {
  // The JS layer's own: a config it cannot turn into JSON text, or one over the input budget.
  const errors = [...raised('error'), 'not_json', 'too_large'].sort();
  const warnings = [...raised('warn')].sort();
  assert.ok(errors.length > 5 && warnings.length > 5, `the scan finds the calls: ${errors} | ${warnings}`);
  assert.deepEqual(listed('errors'), [...new Set(errors)], 'error codes');
  assert.deepEqual(listed('warnings'), [...new Set(warnings)], 'warning codes');
  const engine = readFileSync(new URL('../pkg-template/lib/engine.js', import.meta.url), 'utf8');
  for (const code of ['not_json', 'too_large']) {
    assert.match(engine, new RegExp(`code: '${code}'`), `engine.js raises ${code}`);
  }
});
