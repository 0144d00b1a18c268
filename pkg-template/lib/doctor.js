// `doctor`: what the console Test's rehearsal checks, without sending anything: the validator's
// errors and warnings, then Tencent's records of every template and the signature
// (template-checks.js). For the package's bin (Node, beside Logto: no connector-kit or zod).
import { engine as nodeEngine } from './node.js';
import { checkTemplates } from './template-checks.js';

/**
 * Checks `config` and resolves to `{ ok, items: [{ level, path?, code?, text }], calls }`: `level`
 * is `error` or `warning` (the validator's), `problem` (Tencent's records) or `note` (what was
 * not checked). `ok` is false when an error or a problem is found. Never sends an SMS. Options:
 * `fetch` (the host's by default), `out(line)` to print each item as it is known, `engine` (the
 * Node entry's by default; tests may pass another).
 */
export const runDoctor = async (config, { fetch, out, engine = nodeEngine } = {}) => {
  const items = [];
  const add = (item) => {
    items.push(item);
    out?.(`${item.level}: ${item.path?.length ? `${item.path.join('.')}: ` : ''}${item.text}`);
  };
  const { errors, warnings } = engine.validateConfig(config);
  for (const { path, code, message } of errors) add({ level: 'error', path, code, text: message });
  for (const { path, code, message } of warnings) add({ level: 'warning', path, code, text: message });
  let calls = 0;
  if (errors.length === 0) {
    const report = await checkTemplates(config, (action, params) => engine.callTencent(config, action, params, { fetch }));
    calls = report.calls;
    for (const text of report.problems) add({ level: 'problem', text });
    for (const text of report.notes) add({ level: 'note', text });
    if (!config.signId) {
      add({ level: 'note', text: "signName not checked: Tencent looks signatures up by ID only; set signId to the signature's ID from the SMS console." });
    }
  }
  return { ok: !items.some(({ level }) => level === 'error' || level === 'problem'), items, calls };
};
