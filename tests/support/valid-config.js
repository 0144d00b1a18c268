// The valid config every test layer shares (tests/fixtures/valid-config.json; the Rust tests read
// the same file). A fresh copy per call, so a test may change it.
import { readFileSync } from 'node:fs';

const text = readFileSync(new URL('../fixtures/valid-config.json', import.meta.url), 'utf8');

export const validConfig = () => JSON.parse(text);
