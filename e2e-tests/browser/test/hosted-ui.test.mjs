// The hosted (pre-built) page with the official SDK's launch(): popup (an iframe on the app's page),
// redirect (back to the track's redirectUrl) and window, enrolment and number change under the
// scopes, the SDK's messages (ready, API errors, the token only to the configured origin), the code
// errors (wrong, expired, too many requests, too many wrong codes), WebOTP, every language of the SMS
// templates, the refusals (no scope, a second open, a finished action, a page framed or opened by a
// site that is not configured), an axe-core scan of every state, and screenshots at desktop and
// mobile width.
import assert from "node:assert/strict";
import { mkdir, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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
// The audit view and the operator dashboard (where an action was completed): required, so that
// check always runs.
const auditUrl = process.env.SIGNET_AUDIT_URL;
const managementSecret = process.env.SIGNET_MANAGEMENT_SECRET;
const operator = process.env.SIGNET_DASHBOARD_OPERATOR;
const operatorPassword = process.env.SIGNET_DASHBOARD_PASSWORD;
assert.ok(
  auditUrl && managementSecret && operator && operatorPassword,
  "SIGNET_AUDIT_URL, SIGNET_MANAGEMENT_SECRET, SIGNET_DASHBOARD_OPERATOR and SIGNET_DASHBOARD_PASSWORD are set (BrowserSdkIT does)",
);
const signetOrigin = new URL(apiUrl).origin;
// The languages of the SMS templates, which the page must speak.
const SMS_TEMPLATES = fileURLToPath(new URL("../../../sms-dispatcher/src/main/resources/templates/sms", import.meta.url));

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
  await app.page.evaluate(([u, origin]) => {
    window.launched = undefined;
    window.signetMessages = [];
    window.addEventListener("message", (e) => {
      if (e.origin === origin && typeof e.data === "string") window.signetMessages.push(JSON.parse(e.data));
    });
    window.signet.launch(u, { mode: "popup", onError: (e) => (window.apiErrors = [...(window.apiErrors || []), e]) })
      .then((result) => (window.launched = result));
  }, [url, signetOrigin]);
  const frame = await eventually("the popup's frame", () => app.page.frame({ name: "authsignal" }) || undefined);
  await frame.waitForSelector("#heading:not(:empty)");
  return frame;
}

/** Starts launch() in window mode in the app page and returns the window it opened. */
async function launchWindow(app, url) {
  const [opened] = await Promise.all([
    browser.context.waitForEvent("page"),
    app.page.evaluate((u) => {
      window.launched = undefined;
      window.signet.launch(u, { mode: "window" }).then((r) => (window.launched = r));
    }, url),
  ]);
  return opened;
}

/** The SDK messages (JSON strings from Signet's origin) the app page received, parsed. */
async function signetMessages(app) {
  return app.page.evaluate(() => window.signetMessages);
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
    const events = (await signetMessages(app)).map((m) => m.event);
    assert.equal(events[0], "AUTHSIGNAL_READY", "the page says it is shown first");
    assert.deepEqual(
      (await signetMessages(app)).filter((m) => m.event === "AUTHSIGNAL_CLOSE_POPUP"),
      [{ event: "AUTHSIGNAL_CLOSE_POPUP", token }],
      "one close message, with the token",
    );

    const recorded = await eventually("the audit view of the action", async () => {
      const view = await auditAction(userId, "hostedPopup", tracked.idempotencyKey);
      return view && view.completedVia ? view : undefined;
    });
    assert.equal(recorded.completedVia, "PREBUILT_UI", "the audit view records the pre-built UI");
    assert.equal(recorded.state, "CHALLENGE_SUCCEEDED");
    const dashboard = await browser.newPage();
    await dashboard.goto(`${auditUrl}/dashboard/`);
    await dashboard.fill("#login-username", operator);
    await dashboard.fill("#login-password", operatorPassword);
    await dashboard.click("#login-submit");
    await dashboard.waitForSelector("#app:not([hidden])");
    await dashboard.goto(`${auditUrl}/dashboard/#/actions/${userId}/hostedPopup/${tracked.idempotencyKey}`);
    await dashboard.waitForSelector("#main .steps");
    assert.match(
      await dashboard.textContent("#main"),
      /Completed through\s*Pre-built UI \(Signet's hosted page\)/,
      "the dashboard's action page shows the pre-built UI",
    );
    await dashboard.close();
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
    assert.equal(await app.page.evaluate(() => window.apiErrors), undefined, "a typing error calls no API");
    // A number the page lets through but the API refuses: the SDK's onError gets the API error.
    await frame.fill("#phone", "+999 1234567");
    await frame.click("#send");
    const apiErrors = await eventually("the SDK's onError", () => app.page.evaluate(() => window.apiErrors));
    assert.equal(apiErrors.length, 1, JSON.stringify(apiErrors));
    assert.equal(apiErrors[0].statusCode, 400, JSON.stringify(apiErrors));
    assert.match(apiErrors[0].errorCode, /^[a-z_]+$/, JSON.stringify(apiErrors));
    assert.match(await frame.textContent("#error"), /country code/);
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
    const opened = await launchWindow(app, tracked.url);
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
    const opened = await launchWindow(app, tracked.url);
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

    // Every language the SMS templates have, with every text of the English page translated.
    const strings = await probe.evaluate(async () => (await import("/ui/assets/i18n.js")).STRINGS);
    const englishKeys = Object.keys(strings.en).sort();
    const templates = (await readdir(SMS_TEMPLATES)).filter((f) => f.endsWith(".txt")).map((f) => f.slice(0, -4));
    assert.ok(templates.length >= 8, templates.join());
    for (const language of templates) {
      assert.deepEqual(Object.keys(strings[language] ?? {}).sort(), englishKeys, `every text in ${language}`);
      const tracked = await authsignal.track({
        userId: uniqueUserId("hosted"),
        action: "hostedLanguage",
        attributes: { scope: "add:authenticators", locale: language },
      });
      await probe.setExtraHTTPHeaders({});
      await probe.goto(tracked.url);
      await probe.waitForSelector("#heading:not(:empty)");
      assert.equal(await probe.getAttribute("html", "lang"), language);
      assert.equal(await probe.textContent("#heading"), strings[language].title_enrol, language);
    }
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

    // An action the back end already finished (here: blocked) leaves the page nothing to do.
    const { userId } = await enrolledUser();
    const tracked = await authsignal.track({ userId, action: "hostedFinished" });
    await authsignal.updateAction({
      userId,
      action: "hostedFinished",
      idempotencyKey: tracked.idempotencyKey,
      attributes: { state: "BLOCK" },
    });
    const finished = await probe.goto(tracked.url);
    assert.equal(finished.status(), 409);
    await probe.waitForSelector("#heading:not(:empty)");
    assert.match(await probe.textContent("#heading"), /nothing to confirm/i);
    assert.equal(await probe.$("#send"), null);
    await axeScan(probe, "error: nothing to do");
    await probe.close();
  });

  test("window mode: the token goes only to the configured origin, never to whoever the opener became", async () => {
    const { userId, phone } = await enrolledUser();
    const tracked = await authsignal.track({ userId, action: "hostedWindowMoved" });
    const app = await openSdkPage(browser, server, tracked.token);
    const opened = await launchWindow(app, tracked.url);
    await opened.waitForSelector("#send");
    // The opener navigates to a site that is not configured (http://localhost:<port>); the page
    // keeps its opener, so a message sent with targetOrigin "*" would reach it.
    await Promise.all([
      app.page.waitForURL((u) => u.hostname === "localhost"),
      app.page.evaluate((u) => { location.href = u; }, server.url("/", "localhost")),
    ]);
    await app.page.evaluate(() => {
      window.messages = [];
      window.addEventListener("message", (e) => window.messages.push(String(e.data)));
    });
    assert.equal(await opened.evaluate(() => window.opener !== null), true, "the page still has its opener");

    await opened.click("#send");
    await opened.waitForSelector("#code");
    await opened.fill("#code", await codeFromInbox(phone, 1));
    await opened.click("#verify");
    await opened.waitForSelector(".done-mark");
    // A marker sent after the page's own messages: once it arrives, anything sent before it has too.
    await opened.evaluate(() => window.opener.postMessage("marker", "*"));
    await eventually("the marker", () => app.page.evaluate(() => window.messages.includes("marker")));
    assert.deepEqual(await app.page.evaluate(() => window.messages), ["marker"], "no token for another origin");
    await opened.close();
    await app.close();
  });

  test("update:authenticators: the challenge, then a new number in the popup, every state scanned", async () => {
    const { userId, phone } = await enrolledUser();
    const newNumber = uniquePhone();
    const tracked = await authsignal.track({ userId, action: "hostedChange", attributes: { scope: "update:authenticators" } });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");
    const app = await openSdkPage(browser, server, tracked.token);
    const frame = await launchPopup(app, tracked.url);
    await frame.click("#send");
    await frame.waitForSelector("#code");
    await frame.fill("#code", await codeFromInbox(phone, 1));
    await frame.click("#verify");
    await frame.waitForSelector("#next");
    assert.match(await frame.textContent("#next"), /Change/);
    await axeScan(frame, "popup: challenge done, change offered");

    await frame.click("#next");
    await frame.waitForSelector("#phone");
    assert.match(await frame.textContent("#heading"), /Change your phone number/);
    assert.match(await frame.textContent("#content"), /\+44\*+\d{4}/, "the current number, masked");
    await axeScan(frame, "popup: change number");
    await frame.fill("#phone", newNumber);
    await frame.click("#send");
    await frame.waitForSelector("#code");
    assert.notEqual(await frame.$("#other-number"), null, "another number can be chosen");
    await frame.fill("#code", await codeFromInbox(newNumber, 1));
    await frame.click("#verify");
    const token = await launchedToken(app);
    const stored = await authsignal.getAuthenticators({ userId });
    assert.deepEqual(stored.map((a) => a.phoneNumber), [newNumber], "the number is changed");
    assert.equal((await authsignal.validateChallenge({ token })).state, "CHALLENGE_SUCCEEDED");
    await app.close();
  });

  test("code errors: too many requests, an expired code, then too many wrong codes end the challenge", async () => {
    const { userId, phone } = await enrolledUser();
    const tracked = await authsignal.track({ userId, action: "hostedErrors" });
    const probe = await browser.newPage();
    // The page's clock, moved forward below; the service keeps real time.
    await probe.clock.install();
    await probe.goto(tracked.url);
    await probe.click("#send");
    await probe.waitForSelector("#code");
    const code = await codeFromInbox(phone, 1);
    assert.equal(await probe.isDisabled("#resend"), true, "no resend during the cooldown");

    // The page's cooldown has run out, the service's has not: the service answers 429.
    await probe.clock.runFor(31_000);
    assert.equal(await probe.isDisabled("#resend"), false);
    await probe.click("#resend");
    await probe.waitForSelector("#error:not([hidden])");
    assert.match(await probe.textContent("#error"), /Too many attempts\. Try again in \d+ seconds/);
    assert.match(await probe.textContent("#resend"), /in \d+ s/, "the cooldown is shown again");
    await axeScan(probe, "code entry: too many requests");

    // Past the code's lifetime a refused code reads as expired.
    await probe.clock.fastForward(601_000);
    await probe.fill("#code", wrongCode(code));
    await probe.click("#verify");
    await eventually("the expired message", async () => /expired/.test(await probe.textContent("#error")));
    assert.equal(await probe.getAttribute("#code", "aria-invalid"), "true");
    await axeScan(probe, "code entry: expired code");

    for (let i = 0; i < 4; i++) {
      await probe.fill("#code", wrongCode(code));
      await Promise.all([probe.waitForResponse((r) => r.url().endsWith("/verify/sms")), probe.click("#verify")]);
    }
    await eventually("the end of the challenge", async () => (await probe.$("#code")) === null);
    assert.match(await probe.textContent("#content"), /Too many wrong codes/);
    assert.equal(await probe.$("#send"), null, "nothing left to do");
    await axeScan(probe, "challenge ended: too many wrong codes");
    const action = await authsignal.getAction({ userId, action: "hostedErrors", idempotencyKey: tracked.idempotencyKey });
    assert.equal(action.state, "CHALLENGE_FAILED");
    assert.equal((await inbox(phone)).length, 1, "the refused resend sent nothing");
    await probe.close();
  });

  test("WebOTP: outside a frame the page asks the browser for the SMS code and submits it", async () => {
    const { userId, phone } = await enrolledUser();
    // No redirectUrl and no opener: the page ends on its own confirmation.
    const tracked = await authsignal.track({ userId, action: "hostedWebOtp" });
    const probe = await browser.newPage();
    // Stands in for the phone's SMS reader: records the request, answers when the test delivers.
    await probe.addInitScript(() => {
      window.OTPCredential = window.OTPCredential || function OTPCredential() {};
      window.otpRequests = [];
      navigator.credentials.get = (options) => {
        window.otpRequests.push(JSON.stringify(options.otp));
        return new Promise((resolve) => (window.deliverOtp = (code) => resolve({ type: "otp", code })));
      };
    });
    await probe.goto(tracked.url);
    await probe.click("#send");
    await probe.waitForSelector("#code");
    assert.deepEqual(await probe.evaluate(() => window.otpRequests), [JSON.stringify({ transport: ["sms"] })]);
    const code = await codeFromInbox(phone, 1);
    await probe.evaluate((c) => window.deliverOtp(c), code);
    await probe.waitForSelector(".done-mark");
    assert.match(await probe.textContent("#content"), /go back to/i, "the page says where to go on");
    await axeScan(probe, "done (no redirect, no opener)");
    const action = await authsignal.getAction({ userId, action: "hostedWebOtp", idempotencyKey: tracked.idempotencyKey });
    assert.equal(action.state, "CHALLENGE_SUCCEEDED");
    await probe.close();
  });
});
