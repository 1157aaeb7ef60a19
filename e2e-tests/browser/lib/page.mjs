// Opens the test page in Chromium and starts the official browser SDK in it with a token.
import { apiUrl, tenantId } from "./support.mjs";

/**
 * A page of server (host 127.0.0.1 unless given) with window.signet = new Authsignal({ baseUrl:
 * apiUrl, tenantId }) holding token. sdk(fn, arg) runs fn(window.signet, arg) in the page.
 */
export async function openSdkPage(browser, server, token, host = "127.0.0.1") {
  const page = await browser.newPage();
  await page.goto(server.url("/", host));
  await page.evaluate(([url, tenant, t]) => window.signetStart(url, tenant, t), [apiUrl, tenantId, token]);
  return {
    page,
    // Functions cannot cross into the page; their source can, with the argument as JSON.
    sdk: (fn, arg) =>
      page.evaluate(`(${fn.toString()})(window.signet, ${JSON.stringify(arg ?? null)})`),
    close: () => page.close(),
  };
}
