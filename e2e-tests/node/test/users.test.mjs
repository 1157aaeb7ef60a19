// S4 and the user/authenticator calls through the official @authsignal/node SDK: enrol a phone
// verified elsewhere (no SMS), read, update, query and delete users and authenticators.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Authsignal } from "@authsignal/node";
import {
  absent,
  apiSecret,
  apiUrl,
  assertRecentIso,
  authsignalError,
  inbox,
  quiesce,
  uniquePhone,
  uniqueUserId,
} from "../lib/support.mjs";

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });

function assertSmsAuthenticator(authenticator, userId, phoneNumber) {
  assert.equal(typeof authenticator.userAuthenticatorId, "string");
  assert.ok(authenticator.userAuthenticatorId.length > 0);
  assert.equal(authenticator.userId, userId);
  assert.equal(authenticator.verificationMethod, "SMS");
  assert.equal(authenticator.phoneNumber, phoneNumber);
  assertRecentIso(authenticator.createdAt, "createdAt");
  assertRecentIso(authenticator.verifiedAt, "verifiedAt");
  assert.ok(absent(authenticator.email));
}

describe("users and authenticators via @authsignal/node", { concurrency: true, timeout: 60000 }, () => {
  test("an unknown user is not enrolled", async () => {
    const user = await authsignal.getUser({ userId: uniqueUserId("unknown") });
    assert.equal(user.isEnrolled, false);
    assert.ok(absent(user.email));
    assert.ok(absent(user.phoneNumber));
    assert.deepEqual(user.enrolledVerificationMethods ?? [], []);
  });

  test("S4: enrolling a verified SMS authenticator sends nothing and enrols the user", async () => {
    const userId = uniqueUserId();
    const phoneNumber = uniquePhone();

    const enrolled = await authsignal.enrollVerifiedAuthenticator({
      userId,
      attributes: { verificationMethod: "SMS", phoneNumber },
    });
    assertSmsAuthenticator(enrolled.authenticator, userId, phoneNumber);
    assert.equal(enrolled.authenticator.isDefault, true, "the first authenticator is the default");
    assert.ok(absent(enrolled.recoveryCodes) || Array.isArray(enrolled.recoveryCodes));

    const authenticators = await authsignal.getAuthenticators({ userId });
    assert.equal(authenticators.length, 1);
    assertSmsAuthenticator(authenticators[0], userId, phoneNumber);
    assert.equal(authenticators[0].userAuthenticatorId, enrolled.authenticator.userAuthenticatorId);
    assert.equal(authenticators[0].createdAt, enrolled.authenticator.createdAt);

    const user = await authsignal.getUser({ userId });
    assert.equal(user.isEnrolled, true);
    assert.deepEqual(user.enrolledVerificationMethods, ["SMS"]);
    assert.ok(user.allowedVerificationMethods.includes("SMS"));
    assert.equal(user.defaultVerificationMethod, "SMS");

    await quiesce(authsignal);
    assert.deepEqual(await inbox(phoneNumber), [], "enrolment sends no SMS");

    await authsignal.deleteAuthenticator({ userId, userAuthenticatorId: enrolled.authenticator.userAuthenticatorId });
    assert.deepEqual(await authsignal.getAuthenticators({ userId }), []);
    assert.equal((await authsignal.getUser({ userId })).isEnrolled, false);
  });

  test("enrolling an invalid number surfaces invalid_request", async () => {
    const error = await authsignalError(() =>
      authsignal.enrollVerifiedAuthenticator({
        userId: uniqueUserId(),
        attributes: { verificationMethod: "SMS", phoneNumber: "07700900123" },
      }),
    );
    assert.equal(error.statusCode, 400);
    assert.equal(error.errorCode, "invalid_request");
    assert.match(error.errorDescription, /phoneNumber/);
  });

  test("update creates, changes only given fields, queries, moves the SMS authenticator and deletes", async () => {
    const userId = uniqueUserId();
    const email = `${userId}@example.com`;
    const username = `user_${userId.slice(-12)}`;
    const phoneNumber = uniquePhone();

    const created = await authsignal.updateUser({
      userId,
      attributes: {
        email,
        emailVerified: true,
        username,
        displayName: "Ada Lovelace",
        custom: { plan: "gold", seats: 3, trial: false },
        locale: "en-GB",
      },
    });
    assert.equal(created.userId, userId);
    assert.equal(created.email, email);
    assert.equal(created.emailVerified, true);
    assert.equal(created.username, username);
    assert.equal(created.displayName, "Ada Lovelace");
    assert.deepEqual(created.custom, { plan: "gold", seats: 3, trial: false });
    assert.equal(created.locale, "en-GB");

    const renamed = await authsignal.updateUser({ userId, attributes: { displayName: "Ada King" } });
    assert.equal(renamed.displayName, "Ada King");
    assert.equal(renamed.email, email, "omitted fields are unchanged");
    assert.equal(renamed.username, username);

    const user = await authsignal.getUser({ userId });
    assert.equal(user.userId, userId);
    assert.equal(user.isEnrolled, false);
    assert.equal(user.email, email);
    assert.equal(user.emailVerified, true);
    assert.equal(user.username, username);
    assert.equal(user.displayName, "Ada King");
    assert.deepEqual(user.custom, { plan: "gold", seats: 3, trial: false });
    assert.equal(user.locale, "en-GB");
    assert.ok(absent(user.phoneNumber));
    assert.equal(user.phoneNumberVerified, false);

    const byEmail = await authsignal.queryUsers({ email });
    assert.equal(byEmail.users.length, 1);
    assert.deepEqual(
      {
        userId: byEmail.users[0].userId,
        email: byEmail.users[0].email,
        emailVerified: byEmail.users[0].emailVerified,
        username: byEmail.users[0].username,
        phoneNumberVerified: byEmail.users[0].phoneNumberVerified,
      },
      { userId, email, emailVerified: true, username, phoneNumberVerified: false },
    );

    const enrolled = await authsignal.enrollVerifiedAuthenticator({
      userId,
      attributes: { verificationMethod: "SMS", phoneNumber },
    });
    const newPhone = uniquePhone();
    const moved = await authsignal.updateUser({
      userId,
      attributes: { phoneNumber: newPhone, phoneNumberVerified: true },
    });
    assert.equal(moved.phoneNumber, newPhone);
    assert.equal(moved.phoneNumberVerified, true);
    const authenticators = await authsignal.getAuthenticators({ userId });
    assert.equal(authenticators.length, 1);
    assert.equal(authenticators[0].userAuthenticatorId, enrolled.authenticator.userAuthenticatorId);
    assert.equal(authenticators[0].phoneNumber, newPhone, "phoneNumberVerified moves the SMS authenticator");

    const byPhone = await authsignal.queryUsers({ phoneNumber: newPhone });
    assert.deepEqual(byPhone.users.map((u) => u.userId), [userId]);
    assert.equal(byPhone.users[0].phoneNumber, newPhone);

    assert.equal(await authsignal.deleteUser({ userId }), undefined);
    const gone = await authsignal.getUser({ userId });
    assert.equal(gone.isEnrolled, false);
    assert.ok(absent(gone.email));
    assert.deepEqual(await authsignal.getAuthenticators({ userId }), []);
    assert.deepEqual((await authsignal.queryUsers({ email })).users, []);
  });
});
