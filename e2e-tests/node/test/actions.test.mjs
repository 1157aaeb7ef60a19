// S2 on the server side through the official @authsignal/node SDK: track (rules-service decides
// over Kafka), getAction, updateAction (review), queryUserActions and validateChallenge for action
// tokens, asserting every field the SDK exposes. The challenge between track and validate goes
// through the client API with plain fetch (the browser SDK tests drive it in Chromium).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { randomUUID } from "node:crypto";
import { Authsignal } from "@authsignal/node";
import {
  absent,
  apiSecret,
  apiUrl,
  assertRecentIso,
  authsignalError,
  codeFromInbox,
  decodeJwt,
  uniquePhone,
  eventually,
  uniqueUserId,
} from "../lib/support.mjs";

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });
const rulesUrl = (process.env.SIGNET_RULES_URL ?? "").replace(/\/+$/, "");
const managementSecret = process.env.SIGNET_MANAGEMENT_SECRET;

function uniqueAction(prefix) {
  return prefix + randomUUID().replaceAll("-", "").slice(0, 10);
}

async function createRule(action, rule) {
  assert.ok(rulesUrl && managementSecret, "SIGNET_RULES_URL and SIGNET_MANAGEMENT_SECRET are set");
  const response = await fetch(`${rulesUrl}/v1/management/actions/${action}/rules`, {
    method: "POST",
    headers: { Authorization: `Bearer ${managementSecret}`, "Content-Type": "application/json" },
    body: JSON.stringify(rule),
    signal: AbortSignal.timeout(10000),
  });
  assert.equal(response.status, 201, "rule created");
  return (await response.json()).ruleId;
}

async function client(path, token, body) {
  const response = await fetch(`${apiUrl}/client/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  return { status: response.status, body: await response.json() };
}

async function enrolledUser() {
  const userId = uniqueUserId("act");
  const phoneNumber = uniquePhone();
  await authsignal.enrollVerifiedAuthenticator({
    userId,
    attributes: { verificationMethod: "SMS", phoneNumber },
  });
  return { userId, phoneNumber };
}

function assertTrackResponse(tracked, { state, isEnrolled, ruleIds }) {
  assert.equal(typeof tracked.idempotencyKey, "string");
  assert.ok(tracked.idempotencyKey.length > 0);
  assert.equal(tracked.state, state);
  assert.equal(typeof tracked.token, "string");
  assert.ok(absent(tracked.url) || typeof tracked.url === "string", "url is a string or absent");
  assert.equal(tracked.isEnrolled, isEnrolled);
  assert.deepEqual(tracked.enrolledVerificationMethods, isEnrolled ? ["SMS"] : []);
  assert.deepEqual(tracked.allowedVerificationMethods, ["SMS"]);
  if (isEnrolled) {
    assert.equal(tracked.defaultVerificationMethod, "SMS");
  } else {
    assert.ok(absent(tracked.defaultVerificationMethod));
  }
  assert.deepEqual(tracked.ruleIds, ruleIds);
}

describe("S2 tracked actions via @authsignal/node", { concurrency: true, timeout: 150000 }, () => {
  // Right after the stack starts, rules-service's first decisions (cold JVM) can miss the 1 s
  // deadline and get the fallback; wait until a decision makes it in time.
  before(async () => {
    await eventually(
      "a tracked action decided by rules-service in time",
      async () => {
        const tracked = await authsignal.track({ userId: uniqueUserId("warm"), action: "sdkWarmUp" });
        return !tracked.ruleIds.includes("signet-decision-timeout");
      },
      90000,
      500,
    );
  });

  test("track, getAction and validateChallenge around a challenge", async () => {
    const { userId, phoneNumber } = await enrolledUser();
    const action = uniqueAction("sdkSignIn");

    const tracked = await authsignal.track({
      userId,
      action,
      attributes: {
        ipAddress: "203.0.113.20",
        userAgent: "node-sdk-test",
        deviceId: "device-1",
        scope: "add:authenticators",
        custom: { amount: 10, vip: false, note: "hi" },
        // An origin the e2e stack allows (signet.challenge.ui.redirect-origins); any other is refused.
        redirectUrl: "http://127.0.0.1:3000/done",
      },
    });
    assertTrackResponse(tracked, { state: "CHALLENGE_REQUIRED", isEnrolled: true, ruleIds: [] });
    // The hosted page for the pre-built UI: Signet's own origin, the track token, never a code.
    const pageUrl = new URL(tracked.url);
    assert.equal(pageUrl.pathname, "/ui");
    assert.equal(pageUrl.origin, new URL(apiUrl).origin);
    assert.equal(pageUrl.searchParams.get("token"), tracked.token);
    const { header, payload } = decodeJwt(tracked.token);
    assert.equal(header.alg, "ES256");
    assert.equal(payload.sub, userId);
    assert.equal(payload.scope, "add:authenticators");
    assert.equal(payload.other.userId, userId);
    assert.equal(payload.other.actionCode, action);
    assert.equal(payload.other.idempotencyKey, tracked.idempotencyKey);
    assert.equal(typeof payload.other.tenantId, "string");

    const pending = await authsignal.getAction({
      userId,
      action,
      idempotencyKey: tracked.idempotencyKey,
    });
    assert.equal(pending.state, "CHALLENGE_REQUIRED");
    assertRecentIso(pending.createdAt, "createdAt");
    assertRecentIso(pending.stateUpdatedAt, "stateUpdatedAt");
    assert.ok(absent(pending.verificationMethod));
    assert.deepEqual(pending.rules, []);
    assert.deepEqual(pending.output, { state: "CHALLENGE_REQUIRED", decision: "CHALLENGE", decidedBy: "DECISION", ruleIds: [] });

    // The track token is the browser's credential, never a proof: validate refuses its kind.
    const before = await authsignal.validateChallenge({ token: tracked.token, userId, action });
    assert.equal(before.isValid, false);
    assert.equal(typeof before.error, "string");
    assert.ok(absent(before.state));

    const sent = await client("challenge/sms", tracked.token, {});
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const code = await codeFromInbox(phoneNumber, 1);
    const verified = await client("verify/sms", tracked.token, { verificationCode: code });
    assert.equal(verified.body.isVerified, true, JSON.stringify(verified.body));

    // The verify's accessToken is the proof the back end validates (the browser SDK hands it out
    // as token); the track token still validates as invalid.
    const validated = await authsignal.validateChallenge({ token: verified.body.accessToken, userId, action });
    assert.equal(validated.isValid, true);
    assert.equal(validated.state, "CHALLENGE_SUCCEEDED");
    assert.equal(validated.userId, userId);
    assert.equal(validated.action, action);
    assert.equal(validated.idempotencyKey, tracked.idempotencyKey);
    assert.equal(validated.verificationMethod, "SMS");
    assertRecentIso(validated.stateUpdatedAt, "stateUpdatedAt");
    assert.ok(absent(validated.error));

    const done = await authsignal.getAction({ userId, action, idempotencyKey: tracked.idempotencyKey });
    assert.equal(done.state, "CHALLENGE_SUCCEEDED");
    assert.equal(done.verificationMethod, "SMS");
    const [authenticator] = await authsignal.getAuthenticators({ userId });
    const [listed] = await authsignal.queryUserActions({ userId, actionCodes: [action] });
    assert.equal(listed.verifiedByAuthenticatorId, authenticator.userAuthenticatorId, "the authenticator whose code verified");
    assert.ok(Date.parse(done.stateUpdatedAt) >= Date.parse(done.createdAt));

    assert.equal((await authsignal.validateChallenge({ token: tracked.token })).isValid, false);
    const foreign = await authsignal.validateChallenge({
      token: verified.body.accessToken,
      userId: uniqueUserId("other"),
    });
    assert.equal(foreign.isValid, false);
    assert.equal(typeof foreign.error, "string");
  });

  test("a review is resolved with updateAction; queryUserActions lists it", async () => {
    const { userId } = await enrolledUser();
    const action = uniqueAction("sdkPayment");
    const ruleId = await createRule(action, {
      name: "Large payment",
      description: "Review payments over 1000",
      outcome: "REVIEW",
      condition: { type: "custom", key: "amount", operator: "gt", value: 1000 },
    });

    const tracked = await authsignal.track({
      userId,
      action,
      attributes: { custom: { amount: 5000 }, ipAddress: "203.0.113.21", userAgent: "ua-review" },
    });
    assertTrackResponse(tracked, { state: "REVIEW_REQUIRED", isEnrolled: true, ruleIds: [ruleId] });
    const { idempotencyKey } = tracked;

    const pending = await authsignal.getAction({ userId, action, idempotencyKey });
    assert.equal(pending.state, "REVIEW_REQUIRED");
    assert.deepEqual(pending.rules, [
      { ruleId, name: "Large payment", description: "Review payments over 1000" },
    ]);

    const updated = await authsignal.updateAction({
      userId,
      action,
      idempotencyKey,
      attributes: { state: "REVIEW_SUCCEEDED" },
    });
    assert.equal(updated.state, "REVIEW_SUCCEEDED");
    assert.deepEqual(updated.output, { state: "REVIEW_REQUIRED", decision: "REVIEW", decidedBy: "DECISION", ruleIds: [ruleId] });
    const unknownState = await authsignalError(() =>
      authsignal.updateAction({
        userId,
        action,
        idempotencyKey,
        attributes: { state: "APPROVED" },
      }),
    );
    assert.equal(unknownState.statusCode, 400);
    assert.equal(unknownState.errorCode, "invalid_request");

    const validated = await authsignal.validateChallenge({ token: tracked.token });
    assert.equal(validated.isValid, false, "a track token proves nothing, whatever the state");
    assert.equal((await authsignal.getAction({ userId, action, idempotencyKey })).state, "REVIEW_SUCCEEDED");

    const listed = await authsignal.queryUserActions({ userId, actionCodes: [action] });
    assert.equal(listed.length, 1);
    const [entry] = listed;
    assert.equal(entry.actionCode, action);
    assert.equal(entry.idempotencyKey, idempotencyKey);
    assert.equal(entry.state, "REVIEW_SUCCEEDED");
    assertRecentIso(entry.createdAt, "createdAt");
    assertRecentIso(entry.updatedAt, "updatedAt");
    assertRecentIso(entry.stateUpdatedAt, "stateUpdatedAt");
    assert.ok(absent(entry.verificationMethod));
    assert.equal(entry.ipAddress, "203.0.113.21");
    assert.equal(entry.userAgent, "ua-review");
    const none = await authsignal.queryUserActions({ userId, state: "BLOCK" });
    assert.deepEqual(none, []);
  });

  test("an unknown user is allowed as not enrolled; a repeated idempotency key is one action", async () => {
    const userId = uniqueUserId("act-new");
    const action = uniqueAction("sdkFirst");
    const idempotencyKey = `key-${randomUUID()}`;

    const first = await authsignal.track({ userId, action, attributes: { idempotencyKey } });
    const again = await authsignal.track({ userId, action, attributes: { idempotencyKey } });

    assertTrackResponse(first, { state: "ALLOW", isEnrolled: false, ruleIds: [] });
    assertTrackResponse(again, { state: "ALLOW", isEnrolled: false, ruleIds: [] });
    assert.equal(first.idempotencyKey, idempotencyKey);
    assert.equal(again.idempotencyKey, idempotencyKey);
    const listed = await authsignal.queryUserActions({ userId });
    assert.equal(listed.length, 1);
    const user = await authsignal.getUser({ userId });
    assert.equal(user.isEnrolled, false);
  });

  test("track and getAction refuse bad input with the SDK's error", async () => {
    const userId = uniqueUserId("act-bad");
    const badCode = await authsignalError(() => authsignal.track({ userId, action: "sign.in" }));
    assert.equal(badCode.statusCode, 400);
    assert.equal(badCode.errorCode, "invalid_request");
    const badScope = await authsignalError(() =>
      authsignal.track({ userId, action: "signIn", attributes: { scope: "admin:all" } }),
    );
    assert.equal(badScope.errorCode, "invalid_request");
    const missing = await authsignalError(() =>
      authsignal.getAction({ userId, action: "signIn", idempotencyKey: "no-such-key" }),
    );
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.errorCode, "not_found");
  });
});
