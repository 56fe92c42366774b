// Debian's Chromium driven by playwright-core (no browser is ever downloaded): launched
// headless, offline, with nothing in the background, for the talking EPUB's playback test.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/** Where Debian's `chromium` package installs the browser (.ci/run installs it). */
export const chromiumPath = "/usr/bin/chromium";

export const chromiumAvailable = existsSync(chromiumPath);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}
