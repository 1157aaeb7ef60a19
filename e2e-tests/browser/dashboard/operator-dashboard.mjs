// The operator dashboard of audit-service in headless Chromium against the running stack (run by
// DashboardBrowserIT): activity is created through the real APIs (an S1 sign-in, tracked actions,
// one of them sent to review by a rule created through rules-service's management API), then an
// operator signs in, searches the user, opens the challenge, approves the review item — and the
// action's state is checked in challenge-service; then the operator registers a webhook, sees its
// delivery in the log and redelivers it, and edits the routing rules (a refusal by rules-service shown
// as it words it, a valid change stored) and sees each send's route. Script payloads stored through the same APIs
// (user agent, device id, a rule name, custom data, a review note, the search box) must show as
// text and never run. Screenshots of the main pages go to SIGNET_DASHBOARD_SCREENSHOTS.
//
// Not named *.test.mjs on purpose: BrowserSdkIT's `node --test` in this project must not pick it up.
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { launchChromium } from "../lib/chromium.mjs";
import { apiSecret, apiUrl, codeFromInbox, eventually, uniquePhone, wrongCode } from "../lib/support.mjs";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run through DashboardBrowserIT or export it`);
  return value.replace(/\/+$/, "");
}

const auditUrl = required("SIGNET_AUDIT_URL");
const rulesUrl = required("SIGNET_RULES_URL");
const managementSecret = required("SIGNET_MANAGEMENT_SECRET");
const screenshots = process.env.SIGNET_DASHBOARD_SCREENSHOTS || "";
// The account ./run generated (stack.json: dashboardOperator, dashboardPassword).
const OPERATOR = required("SIGNET_DASHBOARD_OPERATOR");
const operatorPassword = required("SIGNET_DASHBOARD_PASSWORD");
const run = randomUUID().slice(0, 8);

// Each payload would set window.__pwned if it ever ran as script.
const PAYLOADS = {
  userAgent: `<script>window.__pwned='userAgent'</script>Mozilla/5.0`,
  deviceId: `"><img src=x onerror="window.__pwned='deviceId'">`,
  ruleName: `<img src=x onerror="window.__pwned='rule'"> big move`,
  custom: `"><svg onload="window.__pwned='custom'">`,
  note: `<img src=x onerror="window.__pwned='note'">`,
  search: `<img src=x onerror="window.__pwned='search'">`,
  webhook: `<img src=x onerror="window.__pwned='webhook'">`,
};

const basic = "Basic " + Buffer.from(apiSecret + ":").toString("base64");

async function json(method, url, authorization, body) {
  const response = await fetch(url, {
    method,
    headers: { Authorization: authorization, "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const server = (method, path, body) => json(method, apiUrl + path, basic, body);
const audit = (path) => json("GET", auditUrl + path, "Bearer " + managementSecret);

async function reviewRule(action, name) {
  const created = await json("POST", `${rulesUrl}/v1/management/actions/${action}/rules`, "Bearer " + managementSecret, {
    name,
    description: "Transfers over 1,000 wait for an operator",
    outcome: "REVIEW",
    condition: { type: "custom", key: "amount", operator: "gt", value: 1000 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.ruleId;
}

/**
 * Tracks until the rules' decision (not the fallback of a decision that timed out while the
 * stack warms up) puts the action in REVIEW_REQUIRED.
 */
async function trackForReview(userId, action, attributes) {
  return eventually(`${action} in REVIEW_REQUIRED`, async () => {
    const tracked = await server("POST", `/users/${userId}/actions/${action}`, attributes);
    assert.equal(tracked.status, 200, JSON.stringify(tracked.body));
    return tracked.body.state === "REVIEW_REQUIRED" ? tracked.body : undefined;
  }, 60000, 500);
}

async function signIn(phone, userId) {
  const challenge = await server("POST", "/challenge", { verificationMethod: "SMS", action: "signIn", phoneNumber: phone });
  assert.equal(challenge.status, 200, JSON.stringify(challenge.body));
  const code = await codeFromInbox(phone);
  const wrong = await server("POST", "/verify", { challengeId: challenge.body.challengeId, verificationCode: wrongCode(code) });
  assert.equal(wrong.body.isVerified, false);
  const verified = await server("POST", "/verify", { challengeId: challenge.body.challengeId, verificationCode: code });
  assert.equal(verified.body.isVerified, true, JSON.stringify(verified.body));
  const claimed = await server("POST", "/claim", { challengeId: challenge.body.challengeId, userId });
  assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
  return challenge.body.challengeId;
}

let browser;
let page;
const violations = [];
const dialogs = [];

async function shot(name) {
  if (!screenshots) return;
  await page.waitForFunction(() => !document.querySelector("#main .loading"), null, { timeout: 20000 });
  await page.screenshot({ path: join(screenshots, name), fullPage: true });
}

async function assertNothingRan(where) {
  const pwned = await page.evaluate(() => window.__pwned);
  assert.equal(pwned, undefined, `a stored payload ran as script on ${where}`);
  assert.deepEqual(dialogs, [], `no dialog opened on ${where}`);
  const blocked = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(blocked, [], `nothing tried to break the Content-Security-Policy on ${where}`);
}

before(async () => {
  if (screenshots) await mkdir(screenshots, { recursive: true });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  // Records CSP violations: an escaping bug would show here even when the policy blocked the script.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
  });
});

after(async () => {
  await browser?.close();
});

describe("operator dashboard", () => {
  const userId = `dash-${run}`;
  const phone = uniquePhone();
  const reviewAction = `transfer${run}`;
  let challengeId;
  let review;

  test("activity created through the APIs reaches the views", async () => {
    await reviewRule(reviewAction, "Large transfer");
    challengeId = await signIn(phone, userId);
    await server("POST", `/users/${userId}`, { displayName: "Dashboard Test" });
    const small = await server("POST", `/users/${userId}/actions/${reviewAction}`, {
      ipAddress: "203.0.113.10", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131", deviceId: "laptop-1", custom: { amount: 20 },
    });
    assert.equal(small.status, 200);
    review = await trackForReview(userId, reviewAction, {
      ipAddress: "198.51.100.23", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/605.1", deviceId: "iphone-7", custom: { amount: 2500 },
    });
    await eventually("the review item in the audit views", async () => {
      const found = await audit(`/v1/audit/actions?userId=${userId}&state=REVIEW_REQUIRED`);
      return found.status === 200 && found.body.items.some((a) => a.idempotencyKey === review.idempotencyKey);
    }, 60000, 500);
    await eventually("the delivered, verified challenge in the audit views", async () => {
      const c = await audit(`/v1/audit/challenges/${challengeId}`);
      return c.status === 200 && c.body.delivery === "DELIVERED" && c.body.userId === userId;
    }, 60000, 500);
  });

  test("the dashboard refuses calls without a session and serves a strict CSP", async () => {
    const response = await page.goto(`${auditUrl}/dashboard/`);
    const csp = response.headers()["content-security-policy"];
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    const anonymous = await page.evaluate(async () => {
      const r = await fetch("/dashboard/api/reviews", { headers: { "X-Signet-Dashboard": "1" } });
      const q = await fetch("/v1/audit/actions", { headers: { "X-Signet-Dashboard": "1" } });
      return [r.status, q.status];
    });
    assert.deepEqual(anonymous, [401, 401]);
    await page.waitForSelector("#login-form", { state: "visible" });
    await page.fill("#login-username", OPERATOR);
    await page.fill("#login-password", "not the password");
    await page.click("#login-submit");
    await page.waitForSelector("#login-error:not([hidden])");
    assert.match(await page.textContent("#login-error"), /not correct/);
  });

  test("an operator signs in and sees the overview", async () => {
    await page.fill("#login-username", OPERATOR);
    await page.fill("#login-password", operatorPassword);
    await page.click("#login-submit");
    await page.waitForSelector("#app:not([hidden])");
    assert.equal(await page.textContent("#operator-name"), OPERATOR);
    await page.waitForSelector(".kpis .kpi");
    await page.waitForSelector("svg.chart");
    const kpis = await page.textContent(".kpis");
    assert.match(kpis, /Challenges/);
    assert.match(kpis, /Review queue/);
    await shot("dashboard-overview.png");
  });

  test("search finds the user; the timeline shows the sign-in and the actions", async () => {
    await page.fill("#global-search-input", userId);
    await page.press("#global-search-input", "Enter");
    const result = page.locator("a.result", { hasText: userId });
    await result.waitFor();
    await result.click();
    await page.waitForSelector("#user-timeline .tl-item");
    assert.equal(await page.textContent("#user-id"), userId);
    const timeline = await page.textContent("#user-timeline");
    assert.match(timeline, /challenge\.claimed/);
    assert.match(timeline, /action\.tracked/);
    await shot("dashboard-user-timeline.png");
  });

  test("search by phone lists the challenge; its page joins request, dispatch, delivery and verification", async () => {
    await page.goto(`${auditUrl}/dashboard/#/search?q=${encodeURIComponent(phone)}`);
    const link = page.locator(`#search-results a[href="#/challenges/${challengeId}"]`).first();
    await link.waitFor();
    await link.click();
    await page.waitForSelector("#challenge-pipeline");
    assert.equal(await page.textContent("#challenge-id"), challengeId);
    assert.equal(await page.locator("#challenge-pipeline .stage.done").count(), 4);
    const text = await page.textContent("#main");
    assert.match(text, /DELIVERED/);
    assert.match(text, /CLAIMED/);
    assert.doesNotMatch(text, new RegExp(phone.replace("+", "\\+")), "the full number is never shown");
    // The stack runs a Zipkin server: the challenge links to the trace of the request that created it.
    assert.match(await page.locator("#challenge-trace").getAttribute("href"), /\/zipkin\/traces\/[0-9a-f]{32}$/);
    await shot("dashboard-challenge-detail.png");
  });

  test("approving a review item changes the action's state in challenge-service and records who and when", async () => {
    await page.goto(`${auditUrl}/dashboard/#/reviews`);
    const key = `${userId}/${reviewAction}/${review.idempotencyKey}`;
    const card = page.locator(`article.review[data-key="${key}"]`);
    await card.waitFor();
    await shot("dashboard-review-queue.png");
    await card.locator(".note").fill("Customer confirmed by phone");
    await card.locator('button[data-decision="approve"]').click();
    await card.locator('button[data-confirm="REVIEW_SUCCEEDED"]').click();
    await card.locator(".decided").waitFor();
    assert.match(await card.locator(".decided").textContent(), new RegExp(`REVIEW_SUCCEEDED by ${OPERATOR}`));

    const action = await server("GET", `/users/${userId}/actions/${reviewAction}/${review.idempotencyKey}`);
    assert.equal(action.status, 200);
    assert.equal(action.body.state, "REVIEW_SUCCEEDED");

    const recorded = await page.evaluate(async (u) => {
      const r = await fetch(`/dashboard/api/reviews?userId=${u}`, { headers: { "X-Signet-Dashboard": "1" } });
      return r.json();
    }, userId);
    const entry = recorded.reviews.find((r) => r.idempotencyKey === review.idempotencyKey);
    assert.equal(entry.reviewedBy, OPERATOR);
    assert.equal(entry.state, "REVIEW_SUCCEEDED");
    assert.ok(Date.now() - Date.parse(entry.reviewedAt) < 120000, "reviewedAt is now");

    // The views follow the state-changed event: the item leaves the queue on a refresh.
    await eventually("the item to leave the queue", async () => {
      await page.click("#refresh-now");
      await page.waitForTimeout(300);
      return (await card.count()) === 0;
    }, 30000, 500);
    await page.waitForSelector("#decisions");
    assert.match(await page.textContent("#decisions"), new RegExp(OPERATOR));

    // The server API (the app's back end) then sets a state by hand, outside the lifecycle: the
    // action page says so, with the credential that did it.
    const manual = await server("PATCH", `/users/${userId}/actions/${reviewAction}/${review.idempotencyKey}`, { state: "BLOCK" });
    assert.equal(manual.status, 200, JSON.stringify(manual.body));
    assert.equal(manual.body.state, "BLOCK");
    const actionText = await eventually("the manual change on the action page", async () => {
      await page.goto(`${auditUrl}/dashboard/#/actions/${userId}/${reviewAction}/${review.idempotencyKey}`);
      await page.reload();
      await page.waitForSelector("#main .steps");
      const text = await page.textContent("#main");
      return text.includes("Set manually") && text.includes("set MANUALLY") ? text : undefined;
    }, 30000, 500);
    assert.match(actionText, /Set manuallyBLOCK by API_SECRET/);
    assert.match(actionText, /set MANUALLY to BLOCK \(was REVIEW_SUCCEEDED\) through the server API with the API_SECRET credential/);
  });

  test("stored script payloads render as text and never run", async () => {
    const xssUser = `xss-${run}`;
    const xssAction = `xss${run}`;
    await reviewRule(xssAction, PAYLOADS.ruleName);
    const item = await trackForReview(xssUser, xssAction, {
      userAgent: PAYLOADS.userAgent, deviceId: PAYLOADS.deviceId, custom: { amount: 5000, memo: PAYLOADS.custom },
    });
    await eventually("the payload item in the views", async () => {
      const found = await audit(`/v1/audit/actions?userId=${xssUser}&state=REVIEW_REQUIRED`);
      return found.status === 200 && found.body.items.length > 0;
    }, 60000, 500);

    await page.goto(`${auditUrl}/dashboard/#/reviews`);
    const card = page.locator(`article.review[data-key="${xssUser}/${xssAction}/${item.idempotencyKey}"]`);
    await card.waitFor();
    const cardText = await card.textContent();
    assert.ok(cardText.includes(PAYLOADS.userAgent), "the user agent is shown as text");
    assert.ok(cardText.includes(PAYLOADS.deviceId), "the device id is shown as text");
    await assertNothingRan("the review queue");

    await card.locator(".note").fill(PAYLOADS.note);
    await card.locator('button[data-decision="reject"]').click();
    await card.locator('button[data-confirm="REVIEW_FAILED"]').click();
    await card.locator(".decided").waitFor();
    assert.ok((await card.locator(".decided").textContent()).includes(PAYLOADS.note));
    const rejected = await server("GET", `/users/${xssUser}/actions/${xssAction}/${item.idempotencyKey}`);
    assert.equal(rejected.body.state, "REVIEW_FAILED");
    await page.click("#refresh-now");
    await page.waitForSelector("#decisions");
    await assertNothingRan("the decisions list");

    await page.goto(`${auditUrl}/dashboard/#/actions/${xssUser}/${xssAction}/${item.idempotencyKey}`);
    await page.waitForSelector("#main .steps");
    await page.locator("#main details").evaluateAll((all) => all.forEach((d) => { d.open = true; }));
    const actionText = await page.textContent("#main");
    assert.ok(actionText.includes(PAYLOADS.userAgent));
    assert.ok(actionText.includes(PAYLOADS.ruleName), "the rule name is shown as text");
    await assertNothingRan("the action page");

    await page.goto(`${auditUrl}/dashboard/#/users/${xssUser}`);
    await page.waitForSelector("#user-timeline .tl-item");
    await page.locator("#main details").evaluateAll((all) => all.forEach((d) => { d.open = true; }));
    assert.ok((await page.textContent("#user-timeline")).includes(PAYLOADS.deviceId));
    await assertNothingRan("the user timeline");

    await page.goto(`${auditUrl}/dashboard/#/search?q=${encodeURIComponent(PAYLOADS.search)}`);
    await page.waitForSelector("#search-results .empty");
    assert.ok((await page.textContent("#search-results")).includes(PAYLOADS.search));
    assert.equal(await page.locator("#main img").count(), 0, "no element was created from the query");
    await assertNothingRan("the search page");
  });

  test("an operator edits the routing rules, sees rules-service's refusal, and each send's route on the pages", async () => {
    const routingUrl = `${rulesUrl}/v1/management/send-policy/routing`;
    const original = await json("GET", routingUrl, "Bearer " + managementSecret);
    assert.equal(original.status, 200, JSON.stringify(original.body));
    // A region no other test sends to, so the shared stack's traffic keeps its routes.
    const rule = {
      country: "FJ",
      channel: "SMS",
      routes: [
        { provider: "twilio", api: "messaging", weight: 100 },
        { provider: "vonage", api: "sms" },
      ],
    };
    try {
      await page.goto(`${auditUrl}/dashboard/#/routes`);
      await page.waitForSelector("#routing-editor");
      await page.waitForFunction(() => document.querySelector("#routing-editor").value.includes('"rules"'));

      const refused = { rules: [...original.body.rules, { ...rule, routes: [{ ...rule.routes[0], weight: 101 }, rule.routes[1]] }] };
      await page.fill("#routing-editor", JSON.stringify(refused, null, 2));
      await page.click("#routing-save");
      await page.waitForSelector("#routing-result .error");
      assert.match(await page.textContent("#routing-result .error"), /weight/, "rules-service's validation error is shown");
      const unchanged = await json("GET", routingUrl, "Bearer " + managementSecret);
      assert.equal(unchanged.body.version, original.body.version, "a refused change stores nothing");

      await page.fill("#routing-editor", JSON.stringify({ rules: [...original.body.rules, rule] }, null, 2));
      await page.click("#routing-save");
      await page.waitForSelector("#routing-saved");
      await page.waitForSelector('#routing-table tr[data-rule="FJ/SMS"]');
      assert.match(await page.textContent('#routing-table tr[data-rule="FJ/SMS"]'), /twilio messaging · weight 100.*vonage sms · fallback/);
      const stored = await json("GET", routingUrl, "Bearer " + managementSecret);
      assert.ok(stored.body.version > original.body.version);
      assert.deepEqual(stored.body.rules.find((r) => r.country === "FJ").routes.map((r) => r.provider), ["twilio", "vonage"]);
      await shot("dashboard-routes.png");
      await assertNothingRan("the routes page");
    } finally {
      const restored = await json("PUT", routingUrl, "Bearer " + managementSecret, { rules: original.body.rules });
      assert.equal(restored.status, 200, JSON.stringify(restored.body));
    }

    // The challenge of the first test: the route that took it, on its page and on the overview.
    const viewed = await audit(`/v1/audit/challenges/${challengeId}`);
    const sentOn = viewed.body.attempts[0].route;
    assert.match(sentOn, /^(vonage-sms|vonage-messages|twilio-messaging)$/, JSON.stringify(viewed.body.attempts));
    await page.goto(`${auditUrl}/dashboard/#/challenges/${challengeId}`);
    await page.waitForSelector("#challenge-sends");
    assert.ok((await page.textContent("#challenge-sends")).includes(sentOn));
    await page.goto(`${auditUrl}/dashboard/#/`);
    const row = page.locator(`#routes-table tr[data-route="${sentOn}"]`);
    await eventually("the route's circuit and delivery rate on the overview", async () => {
      await page.click("#refresh-now");
      await page.waitForTimeout(300);
      return (await row.count()) === 1 && /CLOSED|OPEN|HALF_OPEN/.test(await row.textContent()) && /%/.test(await row.textContent());
    }, 30000, 500);
    await assertNothingRan("the overview's routes card");
  });

  test("an operator registers a webhook, sees its delivery in the log and redelivers it", async () => {
    const received = [];
    const receiver = createServer((req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(204).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${receiver.address().port}/dashboard-${run}`;
      await page.goto(`${auditUrl}/dashboard/#/webhooks`);
      await page.waitForSelector("#webhook-url");
      await page.fill("#webhook-url", url);
      await page.fill("#webhook-types", "challenge.requested");
      await page.fill("#webhook-description", PAYLOADS.webhook);
      await page.click("#webhook-add");
      await page.waitForSelector("#webhook-form-result .decided");
      const row = page.locator("#webhook-endpoints tr", { hasText: url });
      await row.waitFor();
      assert.ok((await row.textContent()).includes(PAYLOADS.webhook), "the description is shown as text");
      await assertNothingRan("the webhooks page");

      const webhookPhone = uniquePhone();
      const challenge = await server("POST", "/challenge", { verificationMethod: "SMS", action: "signIn", phoneNumber: webhookPhone });
      assert.equal(challenge.status, 200);
      const event = await eventually("the webhook delivery", () =>
        received.find((e) => e.data.challengeId === challenge.body.challengeId), 45000, 300);

      const delivery = page.locator(`#webhook-deliveries tr:has([title="${event.id}"])`);
      await eventually("the delivery in the log", async () => {
        await page.click("#refresh-now");
        await page.waitForTimeout(300);
        return (await delivery.count()) === 1 && (await delivery.textContent()).includes("DELIVERED");
      }, 30000, 500);
      assert.match(await delivery.textContent(), /204/);
      await shot("dashboard-webhooks.png");

      await delivery.locator("button", { hasText: "Redeliver" }).click();
      await eventually("the redelivery", () => received.filter((e) => e.id === event.id).length === 2, 30000, 300);

      await row.locator("button", { hasText: "Delete" }).click();
      await row.locator("button", { hasText: "Yes, delete" }).click();
      await eventually("the endpoint to be gone", async () => (await page.locator("#webhook-endpoints tr", { hasText: url }).count()) === 0, 20000, 300);
      await assertNothingRan("the webhooks page after changes");
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
