// Where Signet's answers once differed from Authsignal's, through the official @authsignal/node
// SDK: unset attributes are absent (not null), a user's phone number is profile data, the server
// API sets any action state, every error body carries errorCode, and getAction has the rules'
// output. Each test reads the SDK's response object exactly as an app would.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { Authsignal } from "@authsignal/node";
import {
  UNAUTHORIZED_DESCRIPTION,
  apiSecret,
  apiUrl,
  authsignalError,
  eventually,
  uniquePhone,
  uniqueUserId,
} from "../lib/support.mjs";

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });

function uniqueAction(prefix) {
  return prefix + randomUUID().replaceAll("-", "").slice(0, 10);
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

/** The audit view of an action (audit-service's query API, management secret). */
async function auditedAction(userId, action, idempotencyKey) {
  const auditUrl = (process.env.SIGNET_AUDIT_URL || "").replace(/\/+$/, "");
  assert.ok(auditUrl, "SIGNET_AUDIT_URL is set");
  const response = await fetch(`${auditUrl}/v1/audit/users/${userId}/actions/${action}/${idempotencyKey}`, {
    headers: { Authorization: `Bearer ${process.env.SIGNET_MANAGEMENT_SECRET}`, Accept: "application/json" },
    signal: AbortSignal.timeout(10000),
  });
  return response.status === 200 ? response.json() : undefined;
}

/** Members whose value is null: an unset attribute must be absent instead. */
function nullMembers(object, path = "") {
  const found = [];
  for (const [key, value] of Object.entries(object)) {
    if (value === null) {
      found.push(path + key);
    } else if (typeof value === "object" && !Array.isArray(value)) {
      found.push(...nullMembers(value, `${path}${key}.`));
    }
  }
  return found;
}

/** The JSON body the SDK received with its error (the SDK keeps the axios response). */
function errorBody(error) {
  return error.axiosError?.response?.data;
}

describe("Authsignal compatibility via @authsignal/node", { concurrency: true, timeout: 90000 }, () => {
  test("unset user and authenticator attributes are absent, not null", async () => {
    const userId = uniqueUserId("absent");

    const updated = await authsignal.updateUser({ userId, attributes: { displayName: "No Email" } });
    const user = await authsignal.getUser({ userId });
    const unknown = await authsignal.getUser({ userId: uniqueUserId("nobody") });

    for (const [what, body] of [
      ["updateUser", updated],
      ["getUser", user],
      ["getUser (unknown)", unknown],
    ]) {
      assert.deepEqual(nullMembers(body), [], `${what} sends no null member`);
      assert.equal(body.email, undefined, `${what}: email is undefined`);
      assert.ok(!("email" in body), `${what}: no email member`);
      assert.ok(!("username" in body), `${what}: no username member`);
      assert.ok(!("phoneNumber" in body), `${what}: no phoneNumber member`);
      assert.ok(!("defaultVerificationMethod" in body), `${what}: no defaultVerificationMethod`);
      assert.equal(body.emailVerified, false, `${what}: emailVerified is a boolean`);
      assert.equal(body.phoneNumberVerified, false, `${what}: phoneNumberVerified is a boolean`);
    }
    assert.equal(user.displayName, "No Email");

    const { authenticator } = await authsignal.enrollVerifiedAuthenticator({
      userId,
      attributes: { verificationMethod: "SMS", phoneNumber: uniquePhone() },
    });
    assert.deepEqual(nullMembers(authenticator), [], "the authenticator sends no null member");
    const [listed] = await authsignal.getAuthenticators({ userId });
    assert.deepEqual(nullMembers(listed), [], "getAuthenticators sends no null member");

    const queried = await authsignal.queryUsers({ username: `nobody-${randomUUID()}` });
    assert.deepEqual(nullMembers(queried), [], "queryUsers sends no null member");

    const tracked = await authsignal.track({ userId: uniqueUserId("absent-new"), action: uniqueAction("absent") });
    assert.deepEqual(nullMembers(tracked), [], "track sends no null member");
    assert.ok(!("defaultVerificationMethod" in tracked), "a user without authenticator has no default method");

    const failed = await authsignal.verify({ challengeId: `no-such-${randomUUID()}`, verificationCode: "123456" });
    assert.deepEqual(nullMembers(failed), [], "verify sends no null member");
    const invalid = await authsignal.validateChallenge({ token: "not-a-token" });
    assert.deepEqual(nullMembers(invalid), [], "validateChallenge sends no null member");
  });

  test("a user's phone number is profile data, stored as given", async () => {
    const userId = uniqueUserId("profile");

    const national = await authsignal.updateUser({ userId, attributes: { phoneNumber: "9876543210" } });
    assert.equal(national.phoneNumber, "9876543210");
    assert.equal((await authsignal.getUser({ userId })).phoneNumber, "9876543210");

    const nz = await authsignal.updateUser({ userId, attributes: { phoneNumber: "+6427123456" } });
    assert.equal(nz.phoneNumber, "+6427123456");
    assert.equal((await authsignal.getUser({ userId })).phoneNumber, "+6427123456");

    // track creates an unknown user with the attributes given, the Python SDK's test sends this.
    const trackedUserId = uniqueUserId("profile-track");
    await authsignal.track({
      userId: trackedUserId,
      action: uniqueAction("profile"),
      attributes: { phoneNumber: "1234567890", email: "not-a-real-email@example.com" },
    });
    assert.equal((await authsignal.getUser({ userId: trackedUserId })).phoneNumber, "1234567890");
  });

  test("an authenticator verified elsewhere takes a possible number; a send to it is refused", async () => {
    const userId = uniqueUserId("possible");

    const { authenticator } = await authsignal.enrollVerifiedAuthenticator({
      userId,
      attributes: { verificationMethod: "SMS", phoneNumber: "+6427000000" },
    });
    assert.equal(authenticator.phoneNumber, "+6427000000");
    const [listed] = await authsignal.getAuthenticators({ userId });
    assert.equal(listed.phoneNumber, "+6427000000", "the stored number stays readable");

    const tracked = await authsignal.track({ userId, action: uniqueAction("possible") });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");
    const sent = await client("challenge/sms", tracked.token, {});
    assert.equal(sent.status, 400, JSON.stringify(sent.body));
    assert.equal(sent.body.error, "invalid_request");
    assert.equal(sent.body.errorCode, "invalid_request");
    assert.match(sent.body.errorDescription, /cannot receive SMS codes/);

    const notE164 = await authsignalError(() =>
      authsignal.enrollVerifiedAuthenticator({
        userId,
        attributes: { verificationMethod: "SMS", phoneNumber: "+64" },
      }),
    );
    assert.equal(notE164.statusCode, 400);
  });

  test("the server API sets any state of an action; getAction shows it", async () => {
    const userId = uniqueUserId("manual");
    await authsignal.enrollVerifiedAuthenticator({
      userId,
      attributes: { verificationMethod: "SMS", phoneNumber: uniquePhone() },
    });
    const action = uniqueAction("manual");
    const tracked = await authsignal.track({ userId, action });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");
    const { idempotencyKey } = tracked;

    const review = await authsignal.updateAction({
      userId,
      action,
      idempotencyKey,
      attributes: { state: "REVIEW_REQUIRED" },
    });
    assert.equal(review.state, "REVIEW_REQUIRED");
    assert.equal((await authsignal.getAction({ userId, action, idempotencyKey })).state, "REVIEW_REQUIRED");

    const blocked = await authsignal.updateAction({
      userId,
      action,
      idempotencyKey,
      attributes: { state: "BLOCK" },
    });
    assert.equal(blocked.state, "BLOCK");
    assert.equal((await authsignal.getAction({ userId, action, idempotencyKey })).state, "BLOCK");

    // The client API keeps its lifecycle: a blocked action cannot be challenged.
    const sent = await client("challenge/sms", tracked.token, {});
    assert.equal(sent.status, 400, JSON.stringify(sent.body));
    assert.equal(sent.body.errorCode, "invalid_request");

    // Audit records both changes as set by hand (cause MANUAL) with the credential used.
    const audited = await eventually("both manual changes in the audit view", async () => {
      const view = await auditedAction(userId, action, idempotencyKey);
      return view && view.manualChanges?.length === 2 ? view : undefined;
    });
    assert.equal(audited.state, "BLOCK");
    assert.deepEqual(
      audited.manualChanges.map((m) => [m.previousState, m.state, m.credentialKind]),
      [
        ["CHALLENGE_REQUIRED", "REVIEW_REQUIRED", "API_SECRET"],
        ["REVIEW_REQUIRED", "BLOCK", "API_SECRET"],
      ],
    );
    const manualSteps = audited.steps.filter((step) => step.attributes?.cause === "MANUAL");
    assert.equal(manualSteps.length, 2, JSON.stringify(audited.steps));
    assert.ok(manualSteps.every((step) => step.attributes.credentialKind === "API_SECRET"));
  });

  test("every error body carries error, errorCode and errorDescription", async () => {
    const wrong = new Authsignal({ apiSecretKey: "bad-secret", apiUrl, retries: 0 });
    const unauthorized = await authsignalError(() =>
      wrong.getAction({ userId: "test-user", action: "signIn", idempotencyKey: "test-key" }),
    );
    assert.equal(unauthorized.statusCode, 401);
    assert.deepEqual(errorBody(unauthorized), {
      error: "unauthorized",
      errorCode: "unauthorized",
      errorDescription: UNAUTHORIZED_DESCRIPTION,
    });

    const invalid = await authsignalError(() =>
      authsignal.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber: "07700900123" }),
    );
    assert.equal(errorBody(invalid).error, "invalid_request");
    assert.equal(errorBody(invalid).errorCode, "invalid_request");
    assert.equal(typeof errorBody(invalid).errorDescription, "string");

    const missing = await authsignalError(() =>
      authsignal.getAction({ userId: uniqueUserId(), action: "signIn", idempotencyKey: "no-such-key" }),
    );
    assert.equal(errorBody(missing).errorCode, "not_found");
  });

  test("getAction and updateAction carry the rules' output", async () => {
    const userId = uniqueUserId("output");
    const action = uniqueAction("output");
    const tracked = await authsignal.track({ userId, action });
    assert.equal(tracked.state, "ALLOW");

    const got = await authsignal.getAction({ userId, action, idempotencyKey: tracked.idempotencyKey });
    assert.equal(typeof got.output, "object", JSON.stringify(got));
    assert.equal(got.output.state, "ALLOW", "the decision's state");
    assert.deepEqual(got.output.ruleIds, tracked.ruleIds, "the rules that decided");
    assert.equal(typeof got.output.decidedBy, "string");

    const updated = await authsignal.updateAction({
      userId,
      action,
      idempotencyKey: tracked.idempotencyKey,
      attributes: { state: "REVIEW_REQUIRED" },
    });
    assert.equal(updated.state, "REVIEW_REQUIRED");
    assert.equal(updated.output.state, "ALLOW", "the output is the decision's, not the manual state");
  });
});
