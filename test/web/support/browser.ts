/**
 * Debian's Chromium driven by playwright-core: no browser download, no
 * network beyond the test server (the flags turn off Chromium's own
 * background connections), and screenshots under a git-ignored folder.
 */
import { existsSync, mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"
import type { Browser, Page } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"

/** Why the browser tests cannot run here, or undefined when they can. */
export const unavailable: string | undefined = existsSync(CHROMIUM)
  ? undefined
  : `${CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run the dashboard's browser tests`

export const launch = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
  })

const screenshotDir = fileURLToPath(new URL("../../../test-output/screenshots/", import.meta.url))

/** Saves what the page shows as `test-output/screenshots/<name>.png`; returns its path. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(screenshotDir, { recursive: true })
  const path = `${screenshotDir}${name}.png`
  await page.screenshot({ path, fullPage: true })
  return path
}
