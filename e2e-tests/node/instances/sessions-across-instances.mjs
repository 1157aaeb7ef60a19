// Run by AuthsignalNodeSdkIT with a second challenge-service instance (SIGNET_SECOND_API_URL): a session
// created on one instance validates and refreshes on the other, and revokeUserSessions called on one
// instance is seen by the other on its very next validate and refresh. Not picked up by the default
// `node --test` run, which has no second instance.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Authsignal } from "@authsignal/node";
import { apiSecret, apiUrl, authsignalError, codeFromInbox, uniquePhone, uniqueUserId } from "../lib/support.mjs";

const secondUrl = process.env.SIGNET_SECOND_API_URL;
if (!secondUrl) {
  throw new Error("SIGNET_SECOND_API_URL is not set; run through AuthsignalNodeSdkIT");
}
const first = new Authsignal({ apiSecretKey: apiSecret, apiUrl });
const second = new Authsignal({ apiSecretKey: apiSecret, apiUrl: secondUrl.replace(/\/+$/, "") });

async function signIn(userId) {
  const phoneNumber = uniquePhone();
  const { challengeId } = await first.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber });
  const code = await codeFromInbox(phoneNumber, 1);
  assert.equal((await first.verify({ challengeId, verificationCode: code })).isVerified, true);
  return (await first.claimChallenge({ challengeId, userId })).token;
}

test("revokeUserSessions on one instance is seen by the other on the next call", { timeout: 90000 }, async () => {
  const userId = uniqueUserId("session-2i");
  const created = await first.createSession({ token: await signIn(userId), clientId: "web-app" });

  // the other instance knows the session: it validates and rotates it
  assert.equal((await second.validateSession({ accessToken: created.accessToken })).user.userId, userId);
  const refreshed = await second.refreshSession({ refreshToken: created.refreshToken });
  assert.equal((await first.validateSession({ accessToken: refreshed.accessToken })).user.userId, userId);

  await first.revokeUserSessions({ userId });

  const validate = await authsignalError(() => second.validateSession({ accessToken: refreshed.accessToken }));
  assert.equal(validate.statusCode, 400);
  assert.equal(validate.errorCode, "invalid_token");
  assert.equal(validate.errorDescription, "The session has been revoked.");
  const refresh = await authsignalError(() => second.refreshSession({ refreshToken: refreshed.refreshToken }));
  assert.equal(refresh.errorDescription, "The session has been revoked.");
});

test("a refresh token spent on one instance and replayed on the other revokes the session", { timeout: 90000 }, async () => {
  const userId = uniqueUserId("session-2i");
  const created = await first.createSession({ token: await signIn(userId), clientId: "web-app" });
  const refreshed = await first.refreshSession({ refreshToken: created.refreshToken });

  const replay = await authsignalError(() => second.refreshSession({ refreshToken: created.refreshToken }));
  assert.equal(replay.errorCode, "invalid_token");
  const validate = await authsignalError(() => first.validateSession({ accessToken: refreshed.accessToken }));
  assert.equal(validate.errorDescription, "The session has been revoked.");
});
