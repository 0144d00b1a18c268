// Turns the bench's rows into the Markdown table and the "where we lose" section.
import os from 'node:os';

/** Nearest-rank percentile (0–100) of a list of numbers. */
export function percentile(values, rank) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1))];
}

// How each kind of figure is printed and which way is better.
const kinds = {
  bytes: { better: 'lower', words: ['smaller', 'larger'], show: (v) => `${Math.round(v).toLocaleString('en-US')} B${v >= 10_240 ? ` (${(v / 1024).toFixed(1)} KiB)` : ''}` },
  packages: { better: 'lower', words: ['fewer', 'more'], show: (v) => String(v) },
  ms: { better: 'lower', words: ['faster', 'slower'], show: (v) => `${v.toFixed(2)} ms` },
  perSecond: { better: 'higher', words: ['faster', 'slower'], show: (v) => `${Math.round(v).toLocaleString('en-US')} /s` },
  cpuMicros: { better: 'lower', words: ['less CPU', 'more CPU'], show: (v) => `${v.toFixed(1)} µs` },
  opMicros: { better: 'lower', words: ['faster', 'slower'], show: (v) => `${v.toFixed(2)} µs` },
};

// Below this factor a difference is reported as even: run-to-run noise is about that big.
const EVEN_FACTOR = 1.05;

/** { factor, oursBetter, even } for a row with both figures. */
function compare({ kind, ours, official }) {
  const oursLower = ours < official;
  const oursBetter = ours !== official && (kinds[kind].better === 'lower' ? oursLower : !oursLower);
  const factor = Math.max(ours, official) / Math.min(ours, official);
  return { factor, oursBetter, even: factor < EVEN_FACTOR };
}

function ratioText(row) {
  if (row.official === undefined) {
    return '—';
  }
  const { words, show } = kinds[row.kind];
  const { factor, oursBetter, even } = compare(row);
  const word = oursBetter ? words[0] : words[1];
  // A zero makes a factor meaningless; the difference says it.
  const text = Number.isFinite(factor)
    ? `ours ${factor.toFixed(2)}× ${word}`
    : `ours ${show(Math.abs(row.official - row.ours))} ${word}`;
  return even ? `about even (${text})` : `**${text}**`;
}

const cell = (text) => String(text).replaceAll('|', '\\|');

export function markdownTable(rows, { oursName, officialName }) {
  const lines = [
    `| Measurement | ours (${oursName}) | official (${officialName}) | ratio |`,
    '| --- | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const official = row.official === undefined ? '—' : kinds[row.kind].show(row.official);
    lines.push(`| ${cell(row.label)} | ${kinds[row.kind].show(row.ours)} | ${official} | ${cell(ratioText(row))} |`);
  }
  return lines.join('\n');
}

/** Rows where ours is worse beyond noise, each with its reason; rows within noise are named too. */
export function lossesSection(rows) {
  const compared = rows.filter((row) => row.official !== undefined).map((row) => ({ row, ...compare(row) }));
  const losses = compared.filter(({ oursBetter, even }) => !oursBetter && !even);
  const even = compared.filter(({ even }) => even);
  const lines = [];
  if (losses.length === 0) {
    lines.push('We lose no row by more than noise.');
  }
  for (const { row, factor } of losses) {
    if (!row.whyWeLose) {
      throw new Error(`no explanation for a lost row: ${row.label}`);
    }
    lines.push(`- **${row.label}** — ${factor.toFixed(2)}× ${kinds[row.kind].words[1]}: ${row.whyWeLose}`);
  }
  if (even.length > 0) {
    lines.push('', `Within ${Math.round((EVEN_FACTOR - 1) * 100)} % (noise): ${even.map(({ row }) => row.label).join('; ')}.`);
  }
  return lines.join('\n');
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}
