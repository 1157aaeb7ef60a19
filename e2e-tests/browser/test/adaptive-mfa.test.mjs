// Scenario S2 with the official SDKs: the back end tracks an action with @authsignal/node, the
// rules demand a challenge, the page completes it with @authsignal/browser in headless Chromium,
// and the back end's validate sees CHALLENGE_SUCCEEDED.
import assert from "node:assert/strict";
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

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });
let browser;
let server;

before(async () => {
  server = await startPageServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** An enrolled user (SMS authenticator verified elsewhere, S4) and a tracked action. */
async function enrolledUserWithTrackedAction(action, attributes = {}) {
  const userId = uniqueUserId();
  const phone = uniquePhone();
  await authsignal.enrollVerifiedAuthenticator({
    userId,
    attributes: { verificationMethod: "SMS", phoneNumber: phone },
  });
  const tracked = await authsignal.track({ userId, action, attributes });
  return { userId, phone, tracked };
}

describe("adaptive MFA in the browser (S2)", () => {
  test("challenge, wrong code, right code in the page; validate sees CHALLENGE_SUCCEEDED", async () => {
    const { userId, phone, tracked } = await enrolledUserWithTrackedAction("browserTransfer", {
      ipAddress: "203.0.113.7",
      userAgent: "Mozilla/5.0 (signet browser test)",
      deviceId: "device-1",
    });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED", "an enrolled user is challenged by default");
    assert.equal(tracked.isEnrolled, true);
    assert.ok(tracked.token, "track returns a token for the client SDK");
    // The track token is the browser's credential, never a proof: validate refuses its kind.
    const before = await authsignal.validateChallenge({ token: tracked.token });
    assert.equal(before.isValid, false);
    assert.equal(before.state, undefined);

    const page = await openSdkPage(browser, server, tracked.token);
    const challenge = await page.sdk((sdk) => sdk.sms.challenge());
    assert.equal(challenge.error, undefined, JSON.stringify(challenge));
    assert.ok(challenge.data.challengeId, "the SDK gets the challenge id");
    const code = await codeFromInbox(phone, 1);

    const wrong = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), wrongCode(code));
    assert.equal(wrong.error, undefined, JSON.stringify(wrong));
    assert.equal(wrong.data.isVerified, false);
    assert.equal(wrong.data.failureReason, "CODE_INVALID_OR_EXPIRED");
    assert.equal(wrong.data.token, undefined, "no access token for a wrong code");
    assert.equal((await authsignal.getAction({ userId, action: "browserTransfer", idempotencyKey: tracked.idempotencyKey })).state, "CHALLENGE_REQUIRED");

    const verified = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), code);
    assert.equal(verified.error, undefined, JSON.stringify(verified));
    assert.equal(verified.data.isVerified, true);
    const accessToken = verified.data.token; // the SDK hands accessToken out as token
    assert.ok(accessToken, "verify returns an access token");

    // Validated right after the page got its answer: no waiting.
    const validated = await authsignal.validateChallenge({ token: accessToken, userId, action: "browserTransfer" });
    assert.equal(validated.isValid, true);
    assert.equal(validated.state, "CHALLENGE_SUCCEEDED");
    assert.equal(validated.userId, userId);
    assert.equal(validated.idempotencyKey, tracked.idempotencyKey);
    assert.equal(validated.verificationMethod, "SMS");
    const action = await authsignal.getAction({ userId, action: "browserTransfer", idempotencyKey: tracked.idempotencyKey });
    assert.equal(action.state, "CHALLENGE_SUCCEEDED");
    assert.equal(action.verificationMethod, "SMS");
    assert.equal((await authsignal.validateChallenge({ token: tracked.token })).isValid, false);

    // The SDK now holds the access token; neither it nor the old code can succeed again.
    const replay = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), code);
    assert.equal(replay.errorCode, "invalid_request", JSON.stringify(replay));
    const rechallenge = await page.sdk((sdk) => sdk.sms.challenge());
    assert.equal(rechallenge.errorCode, "invalid_request", JSON.stringify(rechallenge));
    assert.equal((await inbox(phone)).length, 1, "no second SMS");
    await page.close();
  });

  test("a number verified elsewhere that cannot receive SMS: the page's challenge is refused, nothing is sent", async () => {
    // The back end enrols a number it verified itself; Signet stores any possible E.164 number.
    const userId = uniqueUserId("possible");
    const { authenticator } = await authsignal.enrollVerifiedAuthenticator({
      userId,
      attributes: { verificationMethod: "SMS", phoneNumber: "+6427000000" },
    });
    assert.equal(authenticator.phoneNumber, "+6427000000");
    const tracked = await authsignal.track({ userId, action: "browserPossible" });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");

    const page = await openSdkPage(browser, server, tracked.token);
    const challenge = await page.sdk((sdk) => sdk.sms.challenge());
    assert.equal(challenge.data, undefined, JSON.stringify(challenge));
    assert.equal(challenge.errorCode, "invalid_request", JSON.stringify(challenge));
    assert.match(challenge.errorDescription, /cannot receive SMS codes/);
    assert.deepEqual(await inbox("+6427000000"), [], "nothing was sent");
    await page.close();
  });

  test("a resend inside the cooldown is refused, and exhausted attempts fail the action", async () => {
    const { userId, phone, tracked } = await enrolledUserWithTrackedAction("browserWithdraw");
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");
    const page = await openSdkPage(browser, server, tracked.token);

    assert.ok((await page.sdk((sdk) => sdk.sms.challenge())).data.challengeId);
    const resend = await page.sdk((sdk) => sdk.sms.challenge());
    assert.equal(resend.errorCode, "too_many_requests", JSON.stringify(resend));
    const code = await codeFromInbox(phone, 1);

    const reasons = [];
    for (let i = 0; i < 5; i++) {
      const result = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), wrongCode(code));
      reasons.push(result.data.failureReason);
    }
    assert.deepEqual(reasons, [
      "CODE_INVALID_OR_EXPIRED",
      "CODE_INVALID_OR_EXPIRED",
      "CODE_INVALID_OR_EXPIRED",
      "CODE_INVALID_OR_EXPIRED",
      "MAX_ATTEMPTS_EXCEEDED",
    ]);
    const validated = await authsignal.validateChallenge({ token: tracked.token });
    assert.equal(validated.isValid, false);
    const late = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), code);
    assert.equal(late.errorCode, "invalid_request", "the right code is worthless now");
    assert.equal((await authsignal.getAction({ userId, action: "browserWithdraw", idempotencyKey: tracked.idempotencyKey })).state, "CHALLENGE_FAILED");
    await page.close();
  });

  test("a page on an origin the stack does not allow cannot call the client API", async () => {
    const { userId, phone, tracked } = await enrolledUserWithTrackedAction("browserTransfer");
    const page = await openSdkPage(browser, server, tracked.token, "localhost");

    await assert.rejects(page.sdk((sdk) => sdk.sms.challenge()), /Failed to fetch/);

    assert.deepEqual(await inbox(phone), [], "the preflight stopped the request: nothing was sent");
    assert.equal((await authsignal.getAction({ userId, action: "browserTransfer", idempotencyKey: tracked.idempotencyKey })).state, "CHALLENGE_REQUIRED");
    await page.close();
  });
});

describe("adaptive MFA over WhatsApp in the browser", () => {
  test("whatsapp.challenge and whatsapp.verify in the page; validate sees CHALLENGE_SUCCEEDED", async () => {
    const { userId, phone, tracked } = await enrolledUserWithTrackedAction("browserWhatsapp");
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");
    const page = await openSdkPage(browser, server, tracked.token);

    const challenge = await page.sdk((sdk) => sdk.whatsapp.challenge());
    assert.ok(challenge.data?.challengeId, JSON.stringify(challenge));
    const message = await eventually("a WhatsApp message", async () => (await inbox(phone))[0]);
    assert.equal(message.channel, "whatsapp", JSON.stringify(message));
    const code = /\b(\d{6})\b/.exec(message.text)[1];
    const viaSms = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), code);
    assert.equal(viaSms.errorCode, "invalid_request", "a WhatsApp code is verified on the WhatsApp route");
    const verified = await page.sdk((sdk, c) => sdk.whatsapp.verify({ code: c }), code);

    assert.equal(verified.data?.isVerified, true, JSON.stringify(verified));
    const validated = await authsignal.validateChallenge({ token: verified.data.token, userId });
    assert.equal(validated.isValid, true);
    assert.equal(validated.state, "CHALLENGE_SUCCEEDED");
    assert.equal(validated.verificationMethod, "WHATSAPP");
    await page.close();
  });
});
