// Logto's real admin console (production-mode core serving the built console and experience apps),
// driven in Chromium the way an operator sets up the connector: first admin through the welcome
// page, the SMS connector guide beside its form, and the form's Test button.
import path from 'node:path';

import { chromium } from 'playwright-core';

import { chromiumLaunchArgs } from '../toolchain.mjs';
import { adoptProcess, stopProcess } from './processes.mjs';

export const viewport = { width: 1440, height: 900 };
const stepTimeoutMs = 15_000;
const signInTimeoutMs = 60_000; // a sign-in loads two apps of a few MB each and several redirects
const admin = { username: 'e2eadmin', password: 'e2e-Console-Passw0rd!' };

/** Chromium, launched as a server so its PID is ours to stop (stopAll() stops it on any exit). */
export const startBrowser = async (chromiumPath) => {
  const server = await chromium.launchServer({ executablePath: chromiumPath, args: chromiumLaunchArgs, timeout: stepTimeoutMs });
  const handle = adoptProcess('chromium', server.process());
  const browser = await chromium.connect(server.wsEndpoint(), { timeout: stepTimeoutMs });
  return {
    browser,
    close: async () => {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      await stopProcess(handle);
    },
  };
};

/**
 * A page signed in to the console at `adminUrl` as the e2e admin, as `{ page, registered }`: on a
 * fresh database the welcome page's "Create account" registers it (`registered`), otherwise it
 * signs in with the same credentials.
 */
export const signedInConsole = async (browser, adminUrl) => {
  const context = await browser.newContext({ viewport });
  // Loopback only: the seeded admin branding points at logto.io, which must not be fetched.
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  await page.goto(`${adminUrl}/console`);
  // A fresh install goes to the welcome page, otherwise the console goes to the sign-in page.
  await page.waitForURL((url) => url.pathname === '/console/welcome' || url.pathname === '/sign-in', { timeout: signInTimeoutMs });
  const registered = new URL(page.url()).pathname === '/console/welcome';
  if (registered) {
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('input[name="identifier"]').fill(admin.username);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('input[name="newPassword"]').fill(admin.password);
    await page.locator('input[name="confirmPassword"]').fill(admin.password);
    await page.getByRole('button', { name: 'Save password' }).click();
  } else {
    await page.locator('input[name="identifier"]').fill(admin.username);
    await page.locator('input[name="password"]').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.waitForURL((url) => url.pathname.startsWith('/console/') && !url.pathname.includes('welcome') && !url.pathname.includes('callback'), {
    timeout: signInTimeoutMs,
  });
  return { page, registered };
};

/** Connectors → "SMS connector: Set up" → the factory named `connectorName` → Next: the guide modal. */
export const openSmsGuide = async (page, adminUrl, connectorName) => {
  await page.goto(`${adminUrl}/console/connectors/passwordless`);
  await page.getByRole('row', { name: /SMS connector/ }).getByRole('button', { name: 'Set up' }).click();
  await page.getByText('Set up SMS connector').waitFor();
  await page.getByText(connectorName, { exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Save and Done' }).waitFor();
};

// The Json fields in formItems' order (metadata.js): the index picks the field's editor below.
const jsonFieldOrder = ['templates', 'countryPolicy', 'sendLimits', 'trustedIps', 'fallback'];

/** Fills the guide's config form with `config`: text fields by key, Json fields as JSON. */
export const fillConfigForm = async (page, config) => {
  for (const [key, value] of Object.entries(config)) {
    const input = page.locator(`input[name="formConfig.${key}"]`);
    if ((await input.count()) > 0) {
      await input.fill(String(value));
    } else if (typeof value === 'object') {
      // CodeEditor: a transparent textarea over the highlighted text, one per Json field in form
      // order (templates, then ours, as jsonFieldOrder lists them; the official has templates only). The guide's
      // code samples are read-only ones.
      const editors = page.locator('form textarea:not([readonly])');
      await editors.nth(jsonFieldOrder.indexOf(key)).fill(JSON.stringify(value, null, 2));
    }
  }
};

/** The form's Test: sends to `phone` and resolves to the text of the error toast Logto shows. */
export const testSendError = async (page, phone) => {
  // The console renders react-hot-toast's toasts itself, without their role: find the error one
  // by its CSS-module class names (`__<hash>__toast __<hash>__error`).
  const errorToast = '[class*="__toast"][class*="__error"]';
  // An earlier Test's toast would be read as this one's: wait until it has timed out.
  await page.waitForFunction((selector) => !document.querySelector(selector), errorToast, { timeout: stepTimeoutMs });
  await page.locator('input[type="tel"]').fill(phone);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const toast = page.locator(errorToast).last();
  await toast.waitFor();
  return toast.innerText();
};

/**
 * How the guide fits the viewport: the page's scroll width, guide elements wider than their
 * container (the markdown body's own box), and whether "Save and Done" is fully in view.
 */
export const guideFit = async (page) => {
  const save = page.getByRole('button', { name: 'Save and Done' });
  await save.scrollIntoViewIfNeeded();
  const box = await save.boundingBox();
  const layout = await page.evaluate(() => {
    const guide = document.querySelector('[class*="readmeContent"]');
    const limit = guide?.getBoundingClientRect().right ?? 0;
    const tooWide = [...(guide?.querySelectorAll('*') ?? [])]
      .filter((element) => element.getBoundingClientRect().right > limit + 1 || element.scrollWidth > element.clientWidth + 1)
      .map((element) => `<${element.tagName.toLowerCase()}> ${element.textContent.trim().slice(0, 60)}`);
    return { found: Boolean(guide), scrollWidth: document.documentElement.scrollWidth, tooWide };
  });
  const saveVisible = Boolean(box) && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
  return { ...layout, saveVisible };
};

/** The viewport as the operator sees it, at `logDir/console-<name>.png`; resolves to the path. */
export const screenshot = async (page, logDir, name) => {
  const file = path.join(logDir, `console-${name}.png`);
  await page.screenshot({ path: file });
  return file;
};

/**
 * An end user on Logto's sign-in page (the experience app) at `signInUrl`, an OIDC authorization
 * request: enters `phone` (E.164) and submits. Resolves to `{ pathname, toast }` once the page has
 * left the identifier step (or to where it stayed), `toast` being the text Logto showed.
 */
export const submitPhoneOnSignInPage = async (browser, signInUrl, phone) => {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort());
  const page = await context.newPage();
  page.setDefaultTimeout(stepTimeoutMs);
  try {
    await page.goto(signInUrl);
    await page.waitForURL((url) => url.pathname === '/sign-in', { timeout: signInTimeoutMs });
    // A leading + makes the field read the country calling code from the text.
    await page.locator('input[name="identifier"]').fill(phone);
    await page.locator('form button[type="submit"]').first().click();
    await page.waitForURL((url) => url.pathname !== '/sign-in', { timeout: stepTimeoutMs }).catch(() => {});
    // Logto's toasts start "Failed to send the verification code" (its send_verification_code_failed*).
    const toast = page.getByText(/^Failed to send the verification code/).first();
    const shown = await toast.waitFor({ timeout: stepTimeoutMs }).then(
      () => toast.innerText(),
      async () => `(no such toast; the page says: ${(await page.locator('body').innerText()).slice(0, 300)})`,
    );
    return { pathname: new URL(page.url()).pathname, toast: shown, page };
  } catch (error) {
    await context.close();
    throw error;
  }
};
