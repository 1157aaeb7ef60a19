// The hosted (pre-built) page with the official SDK's launch(): popup (an iframe on the app's page),
// redirect (back to the track's redirectUrl) and window, enrolment under the scope, the refusals
// (no scope, a second open, a page framed or opened by a site that is not configured), an axe-core
// scan of every state, and screenshots at desktop and mobile width.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Authsignal } from "@authsignal/node";
import { launchChromium } from "../lib/chromium.mjs";
import { openSdkPage } from "../lib/page.mjs";
import { startPageServer } from "../lib/page-server.mjs";
import {
  apiSecret,
  apiUrl,
  codeFromInbox,
  eventually,
  inbox,
  uniquePhone,
  uniqueUserId,
  wrongCode,
} from "../lib/support.mjs";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const screenshots = process.env.SIGNET_UI_SCREENSHOTS;
const auditUrl = process.env.SIGNET_AUDIT_URL;
const managementSecret = process.env.SIGNET_MANAGEMENT_SECRET;

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });
let browser;
let server;
const scanned = [];

before(async () => {
  server = await startPageServer();
  browser = await launchChromium();
  if (screenshots) await mkdir(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** axe-core on a page or frame: no serious or critical violation (WCAG 2.x A/AA and best practice). */
async function axeScan(frame, state) {
  await frame.evaluate(AXE);
  const result = await frame.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe-core found serious or critical violations in state "${state}"`,
  );
  scanned.push(state);
}

async function enrolledUser() {
  const userId = uniqueUserId("hosted");
  const phone = uniquePhone();
  await authsignal.enrollVerifiedAuthenticator({ userId, attributes: { verificationMethod: "SMS", phoneNumber: phone } });
  return { userId, phone };
}

/** Starts launch() in the app page and returns the popup's frame once the hosted page is shown. */
async function launchPopup(app, url) {
  await app.page.evaluate((u) => {
    window.launched = undefined;
    window.signet.launch(u, { mode: "popup", onError: (e) => (window.apiErrors = [...(window.apiErrors || []), e]) })
      .then((result) => (window.launched = result));
  }, url);
  const frame = await eventually("the popup's frame", () => app.page.frame({ name: "authsignal" }) || undefined);
  await frame.waitForSelector("#heading:not(:empty)");
  return frame;
}

async function launchedToken(app) {
  const handle = await app.page.waitForFunction(() => window.launched, null, { timeout: 30000 });
  return (await handle.jsonValue()).token;
}

async function auditAction(userId, action, idempotencyKey) {
  const response = await fetch(
    `${auditUrl}/v1/audit/users/${userId}/actions/${action}/${idempotencyKey}`,
    { headers: { Authorization: `Bearer ${managementSecret}` } },
  );
  return response.status === 200 ? response.json() : undefined;
}

describe("the hosted page (pre-built UI)", () => {
  test("popup: the code typed into the iframe resolves launch() with a token that validates", async () => {
    const { userId, phone } = await enrolledUser();
    const tracked = await authsignal.track({ userId, action: "hostedPopup" });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");
    assert.ok(tracked.url, "track returns the hosted page's url");
    const url = new URL(tracked.url);
    assert.equal(url.origin, new URL(apiUrl).origin, "the page is on Signet's own origin");
    assert.equal(url.searchParams.get("token"), tracked.token, "the url carries the track token");

    const app = await openSdkPage(browser, server, tracked.token);
    const frame = await launchPopup(app, tracked.url);
    assert.match(await frame.textContent("#heading"), /Confirm it's you/);
    assert.match(await frame.textContent("#content"), /\+44\*+\d{4}/, "the masked number is shown");
    await axeScan(frame, "popup: challenge");
    if (screenshots) await app.page.screenshot({ path: join(screenshots, "hosted-ui-popup.png") });

    await frame.click("#send");
    await frame.waitForSelector("#code");
    const code = await codeFromInbox(phone, 1);
    const sms = (await inbox(phone))[0].text;
    assert.equal(
      sms.split("\n").at(-1),
      `@${url.hostname} #${code}`,
      "the SMS ends with the origin-bound line (WebOTP) for the page's host",
    );
    assert.equal(await frame.getAttribute("#code", "autocomplete"), "one-time-code");
    assert.equal(await frame.getAttribute("#code", "inputmode"), "numeric");
    assert.match(await frame.textContent("#resend"), /in \d+ s/, "the resend cooldown is shown");
    await axeScan(frame, "popup: code entry");

    await frame.fill("#code", wrongCode(code));
    await frame.click("#verify");
    await frame.waitForSelector("#error:not([hidden])");
    assert.match(await frame.textContent("#error"), /not right/);
    assert.equal(await frame.getAttribute("#code", "aria-invalid"), "true");
    await axeScan(frame, "popup: wrong code");

    await frame.fill("#code", code);
    await frame.click("#verify");
    const token = await launchedToken(app);
    assert.ok(token, "launch() resolves with a token");
    const validated = await authsignal.validateChallenge({ token });
    assert.equal(validated.isValid, true, JSON.stringify(validated));
    assert.equal(validated.state, "CHALLENGE_SUCCEEDED");
    assert.equal(await app.page.$("#__authsignal-popup-iframe"), null, "the SDK closed the popup");

    if (auditUrl && managementSecret) {
      const recorded = await eventually("the audit view of the action", async () => {
        const view = await auditAction(userId, "hostedPopup", tracked.idempotencyKey);
        return view && view.completedVia ? view : undefined;
      });
      assert.equal(recorded.completedVia, "PREBUILT_UI", "the dashboard shows the pre-built UI");
    }
    await app.close();
  });

  test("redirect: the page returns to the redirectUrl with a token; the link works once", async () => {
    const { userId, phone } = await enrolledUser();
    const tracked = await authsignal.track({
      userId,
      action: "hostedRedirect",
      attributes: { redirectUrl: server.url("/done") + "?from=signet" },
    });
    const app = await openSdkPage(browser, server, tracked.token);
    await app.page.setViewportSize({ width: 1280, height: 800 });
    await app.page.evaluate((u) => window.signet.launch(u, { mode: "redirect" }), tracked.url);
    await app.page.waitForSelector("#send");
    assert.ok(!app.page.url().includes("token="), "the token is removed from the address bar");
    await axeScan(app.page, "redirect: challenge");
    if (screenshots) await app.page.screenshot({ path: join(screenshots, "hosted-ui-desktop.png") });

    // Keyboard only: the heading has focus, Tab reaches "Send code", the code field gets focus,
    // Enter submits.
    await app.page.keyboard.press("Tab");
    assert.equal(await app.page.evaluate(() => document.activeElement.id), "send");
    await app.page.keyboard.press("Enter");
    await app.page.waitForSelector("#code");
    assert.equal(await app.page.evaluate(() => document.activeElement.id), "code");
    const code = await codeFromInbox(phone, 1);
    await app.page.setViewportSize({ width: 390, height: 844 });
    await axeScan(app.page, "redirect: code entry (mobile)");
    if (screenshots) await app.page.screenshot({ path: join(screenshots, "hosted-ui-mobile.png") });
    await app.page.keyboard.type(code);
    await Promise.all([app.page.waitForURL(/\/done\?/), app.page.keyboard.press("Enter")]);

    const back = new URL(app.page.url());
    assert.equal(back.origin, server.origin);
    assert.equal(back.searchParams.get("from"), "signet", "the redirectUrl's own query is kept");
    const validated = await authsignal.validateChallenge({ token: back.searchParams.get("token") });
    assert.equal(validated.state, "CHALLENGE_SUCCEEDED");

    // The same link again (browser history, a leaked URL): refused, and nothing is sent.
    const again = await app.page.goto(tracked.url);
    assert.equal(again.status(), 410);
    await app.page.waitForSelector("#heading:not(:empty)");
    assert.match(await app.page.textContent("#heading"), /already used/);
    await axeScan(app.page, "error: link used");
    assert.equal((await inbox(phone)).length, 1);
    await app.close();
  });

  test("track refuses a redirectUrl off the allowed origins (no open redirect)", async () => {
    const userId = uniqueUserId("hosted");
    const allowed = new URL(server.origin);
    for (const redirectUrl of [
      "//evil.example/done",
      `https://${allowed.hostname}.evil.example/done`,
      "javascript:alert(1)",
      `http://${allowed.host}@evil.example/done`,
      `http://evil.example\\@${allowed.host}/done`,
      "http://evil.example/done",
      `${server.origin}/done#fragment`,
    ]) {
      await assert.rejects(
        authsignal.track({ userId, action: "hostedRedirect", attributes: { redirectUrl } }),
        (error) => error.statusCode === 400 || error.status === 400 || /400|invalid_request/.test(String(error)),
        redirectUrl,
      );
    }
  });

  test("enrolment with add:authenticators through the page; refused without the scope", async () => {
    const userId = uniqueUserId("hosted");
    const phone = uniquePhone();
    const without = await authsignal.track({ userId, action: "hostedEnrol" });
    assert.equal(without.url ?? null, null, "no url without the scope");
    const refusedUrl = `${new URL(apiUrl).origin}/ui?token=${encodeURIComponent(without.token)}`;
    const probe = await browser.newPage();
    const refused = await probe.goto(refusedUrl);
    assert.equal(refused.status(), 403, "the page refuses enrolment without the scope");
    await probe.waitForSelector("#heading:not(:empty)");
    assert.match(await probe.textContent("#heading"), /cannot change your phone numbers/);
    await axeScan(probe, "error: not allowed");
    await probe.close();

    const tracked = await authsignal.track({ userId, action: "hostedEnrol", attributes: { scope: "add:authenticators" } });
    assert.equal(tracked.isEnrolled, false);
    assert.ok(tracked.url, "track returns a url for enrolment with the scope");
    const app = await openSdkPage(browser, server, tracked.token);
    const frame = await launchPopup(app, tracked.url);
    assert.match(await frame.textContent("#heading"), /Add a phone number/);
    assert.equal(await frame.getAttribute("#phone", "autocomplete"), "tel");
    await axeScan(frame, "popup: enrol phone");

    await frame.fill("#phone", "07700 900123");
    await frame.click("#send");
    await frame.waitForSelector("#error:not([hidden])");
    await axeScan(frame, "popup: invalid phone");
    await frame.fill("#phone", phone);
    await frame.click("#send");
    await frame.waitForSelector("#code");
    await frame.fill("#code", await codeFromInbox(phone, 1));
    await frame.click("#verify");
    const token = await launchedToken(app);
    assert.ok(token);
    const stored = await authsignal.getAuthenticators({ userId });
    assert.deepEqual(stored.map((a) => a.phoneNumber), [phone]);
    // The back end validates the token the page handed back: accepted, with the action's state
    // (allowed by the rules; the enrolment proved no existing factor, so not a challenge success).
    const validated = await authsignal.validateChallenge({ token });
    assert.equal(validated.error, undefined, JSON.stringify(validated));
    assert.equal(validated.state, "ALLOW", JSON.stringify(validated));
    assert.equal(validated.isValid, false);
    assert.equal(validated.userId, userId);
    assert.equal(validated.action, "hostedEnrol");
    assert.equal(validated.idempotencyKey, tracked.idempotencyKey);
    await app.close();
  });

  test("a page framed by a site that is not configured is refused (frame-ancestors)", async () => {
    const { userId } = await enrolledUser();
    const tracked = await authsignal.track({ userId, action: "hostedFramed" });
    // The same test app on http://localhost:<port>: not among the configured origins.
    const app = await openSdkPage(browser, server, tracked.token, "localhost");
    const response = app.page.waitForResponse((r) => r.url().includes("/ui?"));
    await app.page.evaluate((u) => {
      window.messages = [];
      window.addEventListener("message", (e) => window.messages.push(String(e.data)));
      window.signet.launch(u, { mode: "popup" });
    }, tracked.url);
    const csp = (await response).headers()["content-security-policy"];
    assert.match(csp, /frame-ancestors http:\/\/127\.0\.0\.1:\*/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    await eventually("the browser to block the frame", () => {
      const frame = app.page.frame({ name: "authsignal" });
      return frame && frame.url().startsWith("chrome-error://") ? true : undefined;
    });
    assert.deepEqual(await app.page.evaluate(() => window.messages), [], "the page sent nothing");
    await app.close();
  });

  test("a page opened in a window by a site that is not configured posts nothing to it", async () => {
    const { userId } = await enrolledUser();
    const tracked = await authsignal.track({ userId, action: "hostedWindow" });
    const app = await openSdkPage(browser, server, tracked.token, "localhost");
    await app.page.evaluate(() => {
      window.messages = [];
      window.addEventListener("message", (e) => window.messages.push(String(e.data)));
    });
    const [opened] = await Promise.all([
      browser.context.waitForEvent("page"),
      app.page.evaluate((u) => { window.signet.launch(u, { mode: "window" }); }, tracked.url),
    ]);
    await opened.waitForSelector("#heading:not(:empty)");
    assert.match(await opened.textContent("#heading"), /cannot be used here/);
    assert.equal(await opened.$("#send"), null, "nothing to use");
    await axeScan(opened, "error: opener not allowed");
    assert.deepEqual(await app.page.evaluate(() => window.messages), []);
    await opened.close();
    await app.close();
  });

  test("window mode from a configured origin resolves with the token", async () => {
    const { userId, phone } = await enrolledUser();
    const tracked = await authsignal.track({ userId, action: "hostedWindowOk" });
    const app = await openSdkPage(browser, server, tracked.token);
    const [opened] = await Promise.all([
      browser.context.waitForEvent("page"),
      app.page.evaluate((u) => {
        window.launched = undefined;
        window.signet.launch(u, { mode: "window" }).then((r) => (window.launched = r));
      }, tracked.url),
    ]);
    await opened.waitForSelector("#send");
    await opened.click("#send");
    await opened.waitForSelector("#code");
    await opened.fill("#code", await codeFromInbox(phone, 1));
    await opened.click("#verify");
    const token = await launchedToken(app);
    assert.equal((await authsignal.validateChallenge({ token })).state, "CHALLENGE_SUCCEEDED");
    await app.close();
  });

  test("the page speaks the user's language (Arabic, right to left) or the browser's (French)", async () => {
    const arabic = await authsignal.track({
      userId: uniqueUserId("hosted"),
      action: "hostedLanguage",
      attributes: { scope: "add:authenticators", locale: "ar-SA" },
    });
    const probe = await browser.newPage();
    await probe.goto(arabic.url);
    await probe.waitForSelector("#heading:not(:empty)");
    assert.equal(await probe.getAttribute("html", "lang"), "ar");
    assert.equal(await probe.getAttribute("html", "dir"), "rtl");
    assert.equal(await probe.textContent("#heading"), "أضف رقم هاتف");
    await axeScan(probe, "enrol in Arabic (rtl)");

    const french = await authsignal.track({
      userId: uniqueUserId("hosted"),
      action: "hostedLanguage",
      attributes: { scope: "add:authenticators" },
    });
    await probe.setExtraHTTPHeaders({ "Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5" });
    await probe.goto(french.url);
    await probe.waitForSelector("#heading:not(:empty)");
    assert.equal(await probe.getAttribute("html", "lang"), "fr");
    assert.equal(await probe.textContent("#heading"), "Ajouter un numéro de téléphone");
    await probe.close();
  });

  test("an expired or forged token shows the expired/invalid page", async () => {
    const probe = await browser.newPage();
    const answer = await probe.goto(`${new URL(apiUrl).origin}/ui?token=not-a-token`);
    assert.equal(answer.status(), 401);
    await probe.waitForSelector("#heading:not(:empty)");
    assert.match(await probe.textContent("#heading"), /not valid/);
    await axeScan(probe, "error: link invalid");
    const json = await fetch(`${new URL(apiUrl).origin}/ui?token=not-a-token`);
    assert.equal(json.status, 401);
    assert.equal((await json.json()).error, "unauthorized", "API clients get the JSON error");
    await probe.close();
  });
});
