// Launches the system's headless Chromium (installed by .ci/run) through playwright-core, with the
// flags headless Chromium needs on these machines (no sandbox inside containers) and a fresh profile per launch.
// Reusable by any browser test of the repository: import { launchChromium } from this file.
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

/** The Chromium binary: SIGNET_CHROMIUM, else /usr/bin/chromium. */
export const chromiumPath = process.env.SIGNET_CHROMIUM || "/usr/bin/chromium";

/** Flags for headless runs on CI machines (no sandbox user namespaces, no GPU, no phoning home). */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts Chromium with a fresh user-data dir and returns { context, newPage, close }. close() ends
 * the browser and deletes the profile. Console messages and page errors go to stderr prefixed with
 * [chromium] so a failing test shows what the page saw.
 */
export async function launchChromium({ log = true } = {}) {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `${chromiumPath} is missing: install Chromium (.ci/run does: apt-get install -y chromium) ` +
        "or point SIGNET_CHROMIUM at a Chromium binary",
    );
  }
  const profile = await mkdtemp(join(tmpdir(), "signet-chromium-"));
  let context;
  try {
    // launchPersistentContext passes the profile as --user-data-dir, so every run starts clean.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: 60000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  if (log) {
    context.on("page", (page) => watch(page));
    context.pages().forEach(watch);
  }
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      return page;
    },
    async close() {
      try {
        await context.close();
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    },
  };
}

function watch(page) {
  page.on("console", (message) => process.stderr.write(`[chromium] ${message.type()}: ${message.text()}\n`));
  page.on("pageerror", (error) => process.stderr.write(`[chromium] page error: ${error.message}\n`));
}
