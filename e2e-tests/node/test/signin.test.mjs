// S1, passwordless sign-in with SMS as the first factor, through the official @authsignal/node SDK:
// challenge → code from the sandbox inbox → verify → claim → validate, plus resend, wrong codes,
// attempt limits, single use and the claim/validate refusals.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
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
  uniqueUserId,
  wrongCode,
} from "../lib/support.mjs";

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });

function assertFailedVerification(response, reason) {
  assert.equal(response.isVerified, false);
  assert.equal(response.failureReason, reason);
  assert.ok(absent(response.phoneNumber), "no phone number unless verified");
}

describe("S1 sign-in via @authsignal/node", { concurrency: true, timeout: 90000 }, () => {
  test("challenge, verify, claim and validate with every field", async () => {
    const phoneNumber = uniquePhone();
    const userId = uniqueUserId();
    const action = "signInWithSms";

    const challenged = await authsignal.challenge({ verificationMethod: "SMS", action, phoneNumber });
    const { challengeId, idempotencyKey, expiresAt } = challenged;

    const pending = await authsignal.getChallenge({ challengeId });
    assert.equal(pending.challengeId, challengeId);
    assert.equal(pending.expiresAt, expiresAt);
    assert.equal(pending.verificationMethod, "SMS");
    assert.equal(pending.smsChannel, "DEFAULT");
    assert.equal(pending.action, action);
    assert.notEqual(pending.phoneNumber, phoneNumber, "masked until verified");
    assert.ok(pending.phoneNumber.endsWith(phoneNumber.slice(-4)), `masked: ${pending.phoneNumber}`);

    const code = await codeFromInbox(phoneNumber, 1);
    const verified = await authsignal.verify({ challengeId, verificationCode: code });
    assert.equal(verified.isVerified, true);
    assert.equal(verified.verificationMethod, "SMS");
    assert.equal(verified.phoneNumber, phoneNumber);
    assert.ok(absent(verified.failureReason));
    assert.ok(absent(verified.email));

    const afterVerify = await authsignal.getChallenge({ challengeId });
    assert.equal(afterVerify.phoneNumber, phoneNumber, "unmasked once verified");

    const claimed = await authsignal.claimChallenge({ challengeId, userId });
    assert.equal(claimed.verificationMethod, "SMS");
    const { header, payload } = decodeJwt(claimed.token);
    assert.equal(header.alg, "ES256");
    assert.equal(typeof header.kid, "string");
    assert.equal(payload.sub, userId);
    assert.equal(payload.other.userId, userId);
    assert.equal(payload.other.actionCode, action);
    assert.equal(payload.other.idempotencyKey, idempotencyKey);
    assert.equal(typeof payload.other.tenantId, "string");
    assert.ok(payload.aud, "aud is set");
    assert.equal(typeof payload.jti, "string");
    assert.equal(payload.exp - payload.iat, 600, "valid 10 minutes");

    const validated = await authsignal.validateChallenge({ token: claimed.token });
    assert.equal(validated.isValid, true);
    assert.equal(validated.state, "CHALLENGE_SUCCEEDED");
    assert.equal(validated.userId, userId);
    assert.equal(validated.action, action);
    assert.equal(validated.idempotencyKey, idempotencyKey);
    assert.equal(validated.verificationMethod, "SMS");
    assertRecentIso(validated.stateUpdatedAt, "stateUpdatedAt");
    assert.ok(absent(validated.error));

    const withMatches = await authsignal.validateChallenge({ token: claimed.token, userId, action });
    assert.equal(withMatches.isValid, true);

    const otherUser = await authsignal.validateChallenge({ token: claimed.token, userId: uniqueUserId() });
    assert.equal(otherUser.isValid, false, "another user's token");
    assert.equal(typeof otherUser.error, "string");

    const otherAction = await authsignal.validateChallenge({ token: claimed.token, action: "transfer" });
    assert.equal(otherAction.isValid, false, "a token for another action");
    assert.equal(typeof otherAction.error, "string");

    const reclaim = await authsignalError(() => authsignal.claimChallenge({ challengeId, userId }));
    assert.equal(reclaim.statusCode, 400, "one claim per challenge");
    assert.equal(reclaim.errorCode, "invalid_request");
    assert.ok(reclaim.errorDescription.length > 0);

    const reuse = await authsignal.verify({ challengeId, verificationCode: code });
    assert.equal(reuse.isVerified, false, "a code verifies once");
  });

  test("a wrong code is CODE_INVALID_OR_EXPIRED with isVerified false, and the right one still works", async () => {
    const phoneNumber = uniquePhone();
    const { challengeId } = await authsignal.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber });
    const code = await codeFromInbox(phoneNumber, 1);

    const wrong = await authsignal.verify({ challengeId, verificationCode: wrongCode(code) });
    assertFailedVerification(wrong, "CODE_INVALID_OR_EXPIRED");

    const right = await authsignal.verify({ challengeId, verificationCode: code });
    assert.equal(right.isVerified, true);
    assert.equal(right.phoneNumber, phoneNumber);
  });

  test("five wrong codes kill the challenge with MAX_ATTEMPTS_EXCEEDED", async () => {
    const phoneNumber = uniquePhone();
    const { challengeId } = await authsignal.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber });
    const code = await codeFromInbox(phoneNumber, 1);

    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await authsignal.verify({ challengeId, verificationCode: wrongCode(code) });
      assertFailedVerification(wrong, "CODE_INVALID_OR_EXPIRED");
    }
    const fifth = await authsignal.verify({ challengeId, verificationCode: wrongCode(code) });
    assert.equal(fifth.isVerified, false);
    assert.ok(["CODE_INVALID_OR_EXPIRED", "MAX_ATTEMPTS_EXCEEDED"].includes(fifth.failureReason));

    const dead = await authsignal.verify({ challengeId, verificationCode: code });
    assertFailedVerification(dead, "MAX_ATTEMPTS_EXCEEDED");
  });

  test("claiming an unverified challenge is refused, unless skipVerificationCheck", async () => {
    const phoneNumber = uniquePhone();
    const { challengeId } = await authsignal.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber });

    const error = await authsignalError(() => authsignal.claimChallenge({ challengeId, userId: uniqueUserId() }));
    assert.equal(error.statusCode, 400);
    assert.equal(error.errorCode, "invalid_request");
    assert.ok(error.errorDescription.length > 0);

    const skipped = await authsignal.claimChallenge({ challengeId, userId: uniqueUserId(), skipVerificationCheck: true });
    assert.equal(decodeJwt(skipped.token).header.alg, "ES256");
    assert.equal(skipped.verificationMethod, "SMS");
  });

  test("resend with challengeId after the cooldown sends a new code and kills the old one", async () => {
    const phoneNumber = uniquePhone();
    const first = await authsignal.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber });
    const sentAt = Date.now();
    const oldCode = await codeFromInbox(phoneNumber, 1);

    // Within the 30 s cooldown a resend sends nothing: refused with Retry-After, or answered as before.
    let waitMs = 31000 - (Date.now() - sentAt);
    try {
      const early = await authsignal.challenge({
        verificationMethod: "SMS",
        action: "signIn",
        phoneNumber,
        challengeId: first.challengeId,
      });
      assert.equal(early.challengeId, first.challengeId);
    } catch (error) {
      assert.equal(error.name, "AuthsignalError", String(error));
      assert.equal(error.statusCode, 429);
      assert.equal(error.errorCode, "too_many_requests");
      const retryAfter = Number(error.axiosError.response.headers["retry-after"]);
      assert.ok(retryAfter > 0 && retryAfter <= 30, `Retry-After ${retryAfter}`);
      waitMs = Math.max(waitMs, retryAfter * 1000 + 500);
    }
    await delay(waitMs);

    const resent = await authsignal.challenge({
      verificationMethod: "SMS",
      action: "signIn",
      phoneNumber,
      challengeId: first.challengeId,
    });
    assert.equal(resent.challengeId, first.challengeId);
    assert.equal(typeof resent.idempotencyKey, "string");
    assert.ok(resent.expiresAt >= first.expiresAt);

    const newCode = await codeFromInbox(phoneNumber, 2);
    if (newCode !== oldCode) {
      const stale = await authsignal.verify({ challengeId: first.challengeId, verificationCode: oldCode });
      assertFailedVerification(stale, "CODE_INVALID_OR_EXPIRED");
    }
    const fresh = await authsignal.verify({ challengeId: first.challengeId, verificationCode: newCode });
    assert.equal(fresh.isVerified, true);
    assert.equal(fresh.phoneNumber, phoneNumber);
  });
});
