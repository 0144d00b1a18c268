// Checks the connector config with the wasm validator while the operator types. Everything stays
// in this page, and the secret never leaves the textarea.
const editor = document.querySelector('[data-testid="config"]');
const statusLine = document.querySelector('[data-testid="status"]');
const syntaxLine = document.querySelector('[data-testid="syntax-error"]');
const fieldList = document.querySelector('[data-testid="fields"]');
const report = document.querySelector('.report');

const debounceMs = 250;

const setStatus = (state, text) => {
  statusLine.dataset.state = state;
  statusLine.textContent = text;
};

const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;

let validator;
try {
  validator = await import('../lib/browser.js');
  await validator.default();
} catch (error) {
  setStatus('failed', `Could not load the validator: ${error.message}`);
  throw error;
}
const { metadata, validateConfig } = validator;

const element = (tag, className, text) => {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
};

const addRow = (label, key, note, help) => {
  const row = element('li', 'field');
  const head = element('div', 'field-head');
  head.append(element('span', 'label', label));
  if (key) {
    row.dataset.field = key;
    head.append(element('code', 'key', key));
  } else {
    row.dataset.testid = 'general';
  }
  head.append(element('span', 'note', note));
  const issues = element('ul', 'issues');
  row.append(head);
  // The form item's tooltip: how to fill the field (e.g. templateParams inside templates).
  if (help) {
    row.append(element('p', 'help', help));
  }
  row.append(issues);
  fieldList.append(row);
  return issues;
};

const issueLists = new Map(
  metadata.formItems.map((item) => [
    item.key,
    addRow(item.label, item.key, item.required ? 'required' : 'optional', item.tooltip),
  ]),
);
const generalIssues = addRow('Other', null, 'whole config and unknown keys');

/** `templates[2].usageType` for `['templates', 2, 'usageType']`. */
const formatPath = (path) =>
  path.reduce((text, segment) => {
    if (typeof segment === 'number') {
      return `${text}[${segment}]`;
    }
    if (/^[A-Za-z_$][\w$]*$/.test(segment)) {
      return text ? `${text}.${segment}` : segment;
    }
    return `${text}[${JSON.stringify(segment)}]`;
  }, '') || '(whole config)';

// The validator quotes some input back (region, usageType, key names); it masks the secret in
// what it quotes, so issues are shown as they come.
const issueItem = (kind, issue) => {
  const item = element('li', `issue ${kind}`);
  item.dataset.testid = kind;
  item.dataset.code = issue.code;
  item.append(element('code', 'path', formatPath(issue.path)), ' ', element('span', 'message', issue.message));
  return item;
};

const showResult = (result) => {
  for (const list of [...issueLists.values(), generalIssues]) {
    list.replaceChildren();
  }
  for (const [kind, issues] of [['error', result.errors], ['warning', result.warnings]]) {
    for (const issue of issues) {
      const key = issue.path[0];
      (issueLists.get(key) ?? generalIssues).append(issueItem(kind, issue));
    }
  }
  const warnings = plural(result.warnings.length, 'warning');
  if (result.valid) {
    setStatus('valid', `Valid · ${warnings}`);
  } else {
    setStatus('invalid', `${plural(result.errors.length, 'error')} · ${warnings}`);
  }
};

// Engines quote the offending input in JSON.parse messages (V8: `, "…" is not valid JSON`, Safari:
// `Unexpected identifier "…"`), which may be the secret: keep only the text before the first quote.
const safeSyntaxMessage = (error) => error.message.split('"')[0].replace(/[\s,:]+$/, '');

const check = () => {
  report.setAttribute('aria-busy', 'false');
  let config;
  try {
    config = JSON.parse(editor.value);
  } catch (error) {
    setStatus('syntax', 'Not valid JSON');
    syntaxLine.textContent = `JSON syntax error: ${safeSyntaxMessage(error)}`;
    syntaxLine.hidden = false;
    // Keep the last result visible but dimmed, so a half-typed edit does not blank the list.
    report.classList.add('stale');
    return;
  }
  syntaxLine.hidden = true;
  report.classList.remove('stale');
  showResult(validateConfig(config));
};

// A starting point built from the connector's own placeholders: required fields only, since an
// optional placeholder (e.g. internationalSignName) would be sent as a real value.
const sampleConfig = Object.fromEntries(
  metadata.formItems.filter((item) => item.required).map((item) => [item.key, item.defaultValue ?? item.placeholder]),
);

let pendingCheck;
editor.addEventListener('input', () => {
  // Busy until the debounced check has run, so nobody reads a result the text no longer matches.
  report.setAttribute('aria-busy', 'true');
  clearTimeout(pendingCheck);
  pendingCheck = setTimeout(check, debounceMs);
});
editor.value = JSON.stringify(sampleConfig, null, 2);
check();
