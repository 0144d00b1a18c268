// For resolvers that ignore package.json "exports" (Parcel by default, TypeScript's node10):
// `connector-tencent-sms-wasm/browser` then finds this file. Same module state as lib/browser.js.
export * from './lib/browser.js';
export { default } from './lib/browser.js';
