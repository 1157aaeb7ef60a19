// Scenario S3 with the official SDKs: enrolment of an SMS authenticator from the page, with and
// without the add:authenticators scope, and the update:authenticators number change.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Authsignal } from "@authsignal/node";
import { launchChromium } from "../lib/chromium.mjs";
import { openSdkPage } from "../lib/page.mjs";
import { startPageServer } from "../lib/page-server.mjs";
import { apiSecret, apiUrl, codeFromInbox, inbox, uniquePhone, uniqueUserId } from "../lib/support.mjs";

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

async function enrolledUser() {
  const userId = uniqueUserId();
  const phone = uniquePhone();
  const { authenticator } = await authsignal.enrollVerifiedAuthenticator({
    userId,
    attributes: { verificationMethod: "SMS", phoneNumber: phone },
  });
  return { userId, phone, authenticatorId: authenticator.userAuthenticatorId };
}

/** Passes the tracked action's challenge in the page; the SDK then holds the access token. */
async function passChallenge(page, phone, count = 1) {
  const challenge = await page.sdk((sdk) => sdk.sms.challenge());
  assert.ok(challenge.data?.challengeId, JSON.stringify(challenge));
  const code = await codeFromInbox(phone, count);
  const verified = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), code);
  assert.equal(verified.data?.isVerified, true, JSON.stringify(verified));
  return verified.data.token;
}

describe("enrolment from the browser (S3)", () => {
  test("a user without authenticator enrols a phone without any scope", async () => {
    const userId = uniqueUserId();
    const phone = uniquePhone();
    const tracked = await authsignal.track({ userId, action: "browserSignUp" });
    assert.equal(tracked.state, "ALLOW");
    assert.equal(tracked.isEnrolled, false);
    const page = await openSdkPage(browser, server, tracked.token);

    const enrol = await page.sdk((sdk, p) => sdk.sms.enroll({ phoneNumber: p }), phone);
    assert.equal(enrol.error, undefined, JSON.stringify(enrol));
    assert.equal(enrol.data.userId, userId);
    assert.ok(enrol.data.userAuthenticatorId);
    assert.deepEqual(await authsignal.getAuthenticators({ userId }), [], "nothing exists before the code is verified");

    const verified = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), await codeFromInbox(phone));
    assert.equal(verified.data.isVerified, true, JSON.stringify(verified));
    assert.ok(verified.data.token);
    const created = verified.data.userAuthenticator;
    assert.equal(created.userAuthenticatorId, enrol.data.userAuthenticatorId);
    assert.equal(created.verificationMethod, "SMS");
    assert.equal(created.phoneNumber, phone);
    assert.equal(created.isDefault, true);
    assert.ok(created.verifiedAt);

    const stored = await authsignal.getAuthenticators({ userId });
    assert.equal(stored.length, 1);
    assert.equal(stored[0].userAuthenticatorId, created.userAuthenticatorId);
    assert.equal(stored[0].phoneNumber, phone);
    assert.ok(stored[0].verifiedAt);
    const user = await authsignal.getUser({ userId });
    assert.equal(user.isEnrolled, true);
    // The next tracked action of this user is challenged, on the new authenticator.
    const next = await authsignal.track({ userId, action: "browserTransfer" });
    assert.equal(next.state, "CHALLENGE_REQUIRED");
    assert.equal(next.isEnrolled, true);
    await page.close();
  });

  test("an enrolled user without add:authenticators is refused", async () => {
    const { userId } = await enrolledUser();
    const second = uniquePhone();
    const tracked = await authsignal.track({ userId, action: "browserAddPhone" });
    const page = await openSdkPage(browser, server, tracked.token);

    const refused = await page.sdk((sdk, p) => sdk.sms.enroll({ phoneNumber: p }), second);

    assert.equal(refused.errorCode, "unauthorized", JSON.stringify(refused));
    assert.match(refused.errorDescription, /add:authenticators/);
    assert.deepEqual(await inbox(second), [], "no code went to the number");
    assert.equal((await authsignal.getAuthenticators({ userId })).length, 1);
    await page.close();
  });

  test("with add:authenticators the user passes the challenge, then enrols a second phone", async () => {
    const { userId, phone } = await enrolledUser();
    const second = uniquePhone();
    const tracked = await authsignal.track({
      userId,
      action: "browserAddPhone",
      attributes: { scope: "add:authenticators" },
    });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");
    const page = await openSdkPage(browser, server, tracked.token);

    const early = await page.sdk((sdk, p) => sdk.sms.enroll({ phoneNumber: p }), second);
    assert.equal(early.errorCode, "unauthorized", "the existing factor comes first");
    await passChallenge(page, phone);
    const enrol = await page.sdk((sdk, p) => sdk.sms.enroll({ phoneNumber: p }), second);
    assert.equal(enrol.error, undefined, JSON.stringify(enrol));
    const verified = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), await codeFromInbox(second));

    assert.equal(verified.data.isVerified, true, JSON.stringify(verified));
    assert.equal(verified.data.userAuthenticator.userAuthenticatorId, enrol.data.userAuthenticatorId);
    assert.equal(verified.data.userAuthenticator.phoneNumber, second);
    assert.equal(verified.data.userAuthenticator.isDefault, false);
    const stored = await authsignal.getAuthenticators({ userId });
    assert.deepEqual(stored.map((a) => a.phoneNumber).sort(), [phone, second].sort());
    const validated = await authsignal.validateChallenge({ token: verified.data.token });
    assert.equal(validated.state, "CHALLENGE_SUCCEEDED");
    await page.close();
  });

  test("update:authenticators moves the existing authenticator to a new number", async () => {
    const { userId, phone, authenticatorId } = await enrolledUser();
    const newNumber = uniquePhone();
    const tracked = await authsignal.track({
      userId,
      action: "browserChangePhone",
      attributes: { scope: "update:authenticators" },
    });
    const page = await openSdkPage(browser, server, tracked.token);
    await passChallenge(page, phone);

    const change = await page.sdk((sdk, p) => sdk.sms.enroll({ phoneNumber: p }), newNumber);
    assert.equal(change.error, undefined, JSON.stringify(change));
    assert.equal(change.data.userAuthenticatorId, authenticatorId);
    assert.equal((await authsignal.getAuthenticators({ userId }))[0].phoneNumber, phone, "unchanged until verified");
    const verified = await page.sdk((sdk, c) => sdk.sms.verify({ code: c }), await codeFromInbox(newNumber));

    assert.equal(verified.data.isVerified, true, JSON.stringify(verified));
    assert.equal(verified.data.userAuthenticator.userAuthenticatorId, authenticatorId);
    assert.equal(verified.data.userAuthenticator.phoneNumber, newNumber);
    const stored = await authsignal.getAuthenticators({ userId });
    assert.equal(stored.length, 1);
    assert.equal(stored[0].userAuthenticatorId, authenticatorId);
    assert.equal(stored[0].phoneNumber, newNumber);
    await page.close();
  });
});
