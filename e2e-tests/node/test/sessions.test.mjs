// Sessions through the official @authsignal/node SDK: a claimed S1 sign-in becomes a session
// (createSession), which validates (validateSession), rotates (refreshSession), is revoked as a whole
// when a spent refresh token comes back, and ends with revokeSession; plus the refusals an attacker
// would try: a replayed success token, a token of the wrong kind, another client, garbage. Both
// proofs make sessions: the S1 claim's token and the S2 client verify's accessToken.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Authsignal } from "@authsignal/node";
import {
  absent,
  apiSecret,
  apiUrl,
  authsignalError,
  codeFromInbox,
  decodeJwt,
  uniquePhone,
  uniqueUserId,
} from "../lib/support.mjs";

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });

/** A client API call with a Bearer token, as the browser SDK makes it. */
async function client(path, token, body) {
  const response = await fetch(`${apiUrl}/client/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  return { status: response.status, body: await response.json() };
}

/** An S1 sign-in (challenge, code from the sandbox, verify, claim): the claim's success token. */
async function signIn(userId, action = "signIn") {
  const phoneNumber = uniquePhone();
  const { challengeId } = await authsignal.challenge({ verificationMethod: "SMS", action, phoneNumber });
  const code = await codeFromInbox(phoneNumber, 1);
  const verified = await authsignal.verify({ challengeId, verificationCode: code });
  assert.equal(verified.isVerified, true);
  const claimed = await authsignal.claimChallenge({ challengeId, userId });
  return claimed.token;
}

async function assertInvalidToken(call, description) {
  const error = await authsignalError(call);
  assert.equal(error.statusCode, 400);
  assert.equal(error.errorCode, "invalid_token");
  if (description) {
    assert.equal(error.errorDescription, description);
  }
  return error;
}

describe("sessions via @authsignal/node", { concurrency: true, timeout: 90000 }, () => {
  test("create, validate, refresh, reuse detected, revoke", async () => {
    const userId = uniqueUserId("session");
    const token = await signIn(userId);
    const clientId = "web-app";

    const created = await authsignal.createSession({ token, clientId });
    assert.deepEqual(Object.keys(created).sort(), ["accessToken", "refreshToken"]);
    const { header, payload } = decodeJwt(created.accessToken);
    assert.equal(header.alg, "ES256");
    assert.equal(header.typ, "signet-session+jwt");
    assert.equal(payload.sub, userId);
    assert.deepEqual([payload.aud].flat(), [clientId]);
    assert.ok(payload.exp - payload.iat <= 300, "short-lived access token");
    assert.match(created.refreshToken, /^[A-Za-z0-9_-]{43}$/, "opaque 256-bit refresh token");

    const validated = await authsignal.validateSession({ accessToken: created.accessToken, clientIds: [clientId] });
    assert.equal(validated.user.userId, userId);
    assert.equal(validated.expiresAt, payload.exp);
    assert.equal(validated.verificationMethod, "SMS");
    const withoutClients = await authsignal.validateSession({ accessToken: created.accessToken });
    assert.equal(withoutClients.user.userId, userId);

    const refreshed = await authsignal.refreshSession({ refreshToken: created.refreshToken });
    assert.notEqual(refreshed.refreshToken, created.refreshToken);
    assert.notEqual(refreshed.accessToken, created.accessToken);
    const afterRefresh = await authsignal.validateSession({ accessToken: refreshed.accessToken });
    assert.equal(afterRefresh.user.userId, userId);
    await assertInvalidToken(
      () => authsignal.validateSession({ accessToken: created.accessToken }),
      "The access token was replaced by a refresh.",
    );

    // the spent refresh token comes back (a thief's replay): the whole family is revoked
    await assertInvalidToken(
      () => authsignal.refreshSession({ refreshToken: created.refreshToken }),
      "The refresh token was already used: the session has been revoked as a precaution.",
    );
    await assertInvalidToken(
      () => authsignal.validateSession({ accessToken: refreshed.accessToken }),
      "The session has been revoked.",
    );
    await assertInvalidToken(
      () => authsignal.refreshSession({ refreshToken: refreshed.refreshToken }),
      "The session has been revoked.",
    );

    // a new sign-in, a new session, ended by revokeSession
    const second = await authsignal.createSession({ token: await signIn(userId), clientId });
    assert.equal((await authsignal.validateSession({ accessToken: second.accessToken })).user.userId, userId);
    const revoked = await authsignal.revokeSession({ accessToken: second.accessToken });
    assert.ok(absent(revoked), "revokeSession resolves without a value");
    await assertInvalidToken(
      () => authsignal.validateSession({ accessToken: second.accessToken }),
      "The session has been revoked.",
    );
    await assertInvalidToken(
      () => authsignal.refreshSession({ refreshToken: second.refreshToken }),
      "The session has been revoked.",
    );
  });

  test("a success token makes one session, and only success tokens make sessions", async () => {
    const userId = uniqueUserId("session");
    const token = await signIn(userId);
    const created = await authsignal.createSession({ token, clientId: "web-app" });

    await assertInvalidToken(
      () => authsignal.createSession({ token, clientId: "web-app" }),
      "The token has already been used to create a session.",
    );
    await assertInvalidToken(
      () => authsignal.createSession({ token, clientId: "ios-app" }),
      "The token has already been used to create a session.",
    );
    await assertInvalidToken(
      () => authsignal.createSession({ token: created.accessToken, clientId: "web-app" }),
      "The token is not of a kind this endpoint accepts.",
    );
    await assertInvalidToken(
      () => authsignal.createSession({ token: "not-a-token", clientId: "web-app" }),
      "The token is malformed.",
    );
    // a success token is no access token, and a session access token is no proof of a challenge
    await assertInvalidToken(
      () => authsignal.validateSession({ accessToken: token }),
      "The token is not of a kind this endpoint accepts.",
    );
    const asProof = await authsignal.validateChallenge({ token: created.accessToken });
    assert.equal(asProof.isValid, false);
    // the claim's token names its action: asking for another one is refused
    const another = await signIn(userId);
    await assertInvalidToken(
      () => authsignal.createSession({ token: another, clientId: "web-app", action: "transfer" }),
      "The token was not issued for this action.",
    );
  });

  test("an S2 tracked action's success token (the client verify's accessToken) makes a session", async () => {
    const userId = uniqueUserId("session-s2");
    const phoneNumber = uniquePhone();
    await authsignal.enrollVerifiedAuthenticator({ userId, attributes: { verificationMethod: "SMS", phoneNumber } });
    const tracked = await authsignal.track({ userId, action: "sessionSignIn" });
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");

    // the track token is the browser's credential, never a proof
    await assertInvalidToken(
      () => authsignal.createSession({ token: tracked.token, clientId: "web-app" }),
      "The token is not of a kind this endpoint accepts.",
    );

    const sent = await client("challenge/sms", tracked.token, {});
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const code = await codeFromInbox(phoneNumber, 1);
    const verified = await client("verify/sms", tracked.token, { verificationCode: code });
    assert.equal(verified.body.isVerified, true, JSON.stringify(verified.body));

    const created = await authsignal.createSession({
      token: verified.body.accessToken,
      clientId: "web-app",
      action: "sessionSignIn",
    });
    const validated = await authsignal.validateSession({ accessToken: created.accessToken, clientIds: ["web-app"] });
    assert.equal(validated.user.userId, userId);
    assert.equal(validated.verificationMethod, "SMS");
    // a session access token opens no client API route
    const asBearer = await client("challenge/sms", created.accessToken, {});
    assert.equal(asBearer.status, 401);
  });

  test("validateSession checks clientIds", async () => {
    const userId = uniqueUserId("session");
    const { accessToken } = await authsignal.createSession({ token: await signIn(userId), clientId: "web-app" });

    await assertInvalidToken(
      () => authsignal.validateSession({ accessToken, clientIds: ["ios-app", "android-app"] }),
      "The token was not issued for any of these clients.",
    );
    assert.equal((await authsignal.validateSession({ accessToken, clientIds: ["ios-app", "web-app"] })).user.userId, userId);
  });

  test("revokeUserSessions ends every session of the user and nobody else's", async () => {
    const userId = uniqueUserId("session");
    const bystander = uniqueUserId("session");
    const web = await authsignal.createSession({ token: await signIn(userId), clientId: "web-app" });
    const ios = await authsignal.createSession({ token: await signIn(userId), clientId: "ios-app" });
    const other = await authsignal.createSession({ token: await signIn(bystander), clientId: "web-app" });

    assert.ok(absent(await authsignal.revokeUserSessions({ userId })));

    for (const session of [web, ios]) {
      await assertInvalidToken(() => authsignal.validateSession({ accessToken: session.accessToken }), "The session has been revoked.");
      await assertInvalidToken(() => authsignal.refreshSession({ refreshToken: session.refreshToken }), "The session has been revoked.");
    }
    assert.equal((await authsignal.validateSession({ accessToken: other.accessToken })).user.userId, bystander);
  });

  test("bad requests are invalid_request, a wrong API secret is 401", async () => {
    const missing = await authsignalError(() => authsignal.createSession({ clientId: "web-app" }));
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.errorCode, "invalid_request");
    await assertInvalidToken(() => authsignal.refreshSession({ refreshToken: "x".repeat(43) }), "The refresh token is invalid.");

    const stranger = new Authsignal({ apiSecretKey: "wrong-secret", apiUrl });
    const refused = await authsignalError(() => stranger.validateSession({ accessToken: "x" }));
    assert.equal(refused.statusCode, 401);
  });
});
