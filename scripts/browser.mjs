// Which Chromium the end-to-end tests drive: an explicit CHROMIUM_PATH, else Debian's
// /usr/bin/chromium, else the one `npx playwright install chromium` downloads.
import { existsSync } from "node:fs";

export const INSTALL_HINT =
  "No Chromium found for the end-to-end tests. Install one with `npx playwright install chromium` " +
  "(or, on Debian/Ubuntu as root, `apt-get install -y chromium`), or set CHROMIUM_PATH to a Chromium binary.";

export async function findChromium() {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`CHROMIUM_PATH=${explicit} does not exist. ${INSTALL_HINT}`);
    return explicit;
  }
  for (const p of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (existsSync(p)) return p;
  try {
    const { chromium } = await import("@playwright/test");
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    /* fall through */
  }
  return null;
}
