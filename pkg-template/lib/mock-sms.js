import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The writer for a send testNumbers or dryRun kept from Tencent, as Logto's mock SMS connector
 * writes it (connector-mock-sms: mkdir, then the whole file is one JSON line, overwritten, not
 * appended), so Logto's integration-test helpers, which JSON.parse the file, read it unchanged.
 * `kit` resolves to the host's connector-kit, whose `mockConnectorFilePaths.Sms` names the file.
 */
export const recordAsLogtoMock =
  (kit) =>
  async ({ to, type, payload }) => {
    const file = (await kit())?.mockConnectorFilePaths?.Sms;
    if (!file) {
      throw new Error("This Logto's connector-kit has no mockConnectorFilePaths.Sms to write the test code to.");
    }
    await mkdir(path.dirname(file), { recursive: true });
    // Written beside it and renamed over it, so concurrent sends never leave a mixed file.
    const staged = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(staged, `${JSON.stringify({ phone: to, code: payload.code, type, payload })}\n`);
      await rename(staged, file);
    } catch (error) {
      await rm(staged, { force: true }).catch(() => undefined);
      throw error;
    }
  };
