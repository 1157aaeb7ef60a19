// The requests Authsignal's Java (2.9.0) and Python (4.x) SDKs send, byte for byte as those SDKs
// build them, and their answers read the way those SDKs read them. Neither SDK installs from the
// registries this project uses (Maven Central, npm), so this file stands in for their own
// integration tests: the Java SDK's AuthsignalClientTests and the calls of the Python SDK's
// client. What differs from @authsignal/node is on the wire: Basic auth with an empty password and
// the X-Authsignal-Version header, updateUser as POST (Java), a Content-Type header on every call
// with null members stripped (Python), a success body parsed only when the Content-Type is exactly
// application/json (Python), and the error read from `error` (Java) or `errorCode` (Python).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { UNAUTHORIZED_DESCRIPTION, apiSecret, apiUrl } from "../lib/support.mjs";

const basic = (secret) => "Basic " + Buffer.from(`${secret}:`).toString("base64");

/**
 * One call as the Java SDK makes it (java.net.http, Gson bodies that leave nulls out): a
 * non-2xx answer becomes AuthsignalException(status, body.error, body.errorDescription).
 */
async function java(method, path, body, secret = apiSecret) {
  const headers = { Authorization: basic(secret), "X-Authsignal-Version": "2.9.0" };
  if (method === "GET") {
    headers["User-Agent"] = "authsignal-java";
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await response.text();
  if (response.status < 200 || response.status > 299) {
    const error = JSON.parse(text);
    return { failed: { statusCode: response.status, errorCode: error.error, errorDescription: error.errorDescription } };
  }
  return { value: text ? JSON.parse(text) : undefined };
}

/**
 * One call as the Python SDK's CustomSession makes it: Content-Type and Accept on every request,
 * None values stripped from the body; raise_for_status, then the body is decoded only when the
 * Content-Type header equals "application/json"; a failure becomes ApiException(errorCode,
 * errorDescription, status).
 */
async function python(method, path, body) {
  const cleaned = body === undefined ? undefined : Object.fromEntries(Object.entries(body).filter(([, v]) => v != null));
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      Authorization: basic(apiSecret),
      "Content-Type": "application/json",
      Accept: "*/*",
      "User-Agent": "authsignal-python-sdk/4.1.0",
    },
    body: cleaned === undefined ? undefined : JSON.stringify(cleaned),
    signal: AbortSignal.timeout(10000),
  });
  const text = await response.text();
  if (response.status >= 400) {
    const error = JSON.parse(text);
    return { failed: { statusCode: response.status, errorCode: error.errorCode, errorDescription: error.errorDescription } };
  }
  const contentType = response.headers.get("content-type");
  return { contentType, value: contentType === "application/json" ? JSON.parse(text) : undefined };
}

const users = (userId) => `/users/${encodeURIComponent(userId)}`;

describe("the Java and Python SDKs' requests", { concurrency: true, timeout: 60000 }, () => {
  test("Java testInvalidApiSecretKey: getUser with a wrong secret", async () => {
    const { failed } = await java("GET", users(randomUUID()), undefined, "invalid_secret");
    assert.deepEqual(failed, { statusCode: 401, errorCode: "unauthorized", errorDescription: UNAUTHORIZED_DESCRIPTION });
  });

  test("Java testUser: enrol, read, update with POST, delete", async () => {
    const userId = randomUUID();
    const enrolled = await java("POST", `${users(userId)}/authenticators`, { verificationMethod: "SMS", phoneNumber: "+6427000000" });
    assert.ok(enrolled.value, JSON.stringify(enrolled.failed));

    const user = (await java("GET", users(userId))).value;
    assert.equal(user.isEnrolled, true);
    assert.equal(user.email, undefined, "email is absent, which Gson reads as null");

    const attributes = {
      email: "test@example.com",
      phoneNumber: "+6427123456",
      username: "Test User",
      displayName: "test@example.com",
      custom: { foo: "bar", baz: 1 },
    };
    const updated = await java("POST", users(userId), attributes);
    assert.ok(updated.value, JSON.stringify(updated.failed));
    for (const member of ["email", "phoneNumber", "username", "displayName"]) {
      assert.equal(updated.value[member], attributes[member], member);
    }
    assert.deepEqual(updated.value.custom, attributes.custom);

    assert.ok(!(await java("DELETE", users(userId))).failed);
    assert.equal((await java("GET", users(userId))).value.isEnrolled, false);
  });

  test("Java testAuthenticator: list and delete", async () => {
    const userId = randomUUID();
    await java("POST", `${users(userId)}/authenticators`, { verificationMethod: "SMS", phoneNumber: "+6427000000" });
    const [authenticator] = (await java("GET", `${users(userId)}/authenticators`)).value;
    assert.equal(authenticator.verificationMethod, "SMS");

    const deleted = await java("DELETE", `${users(userId)}/authenticators/${authenticator.userAuthenticatorId}`);
    assert.ok(!deleted.failed, JSON.stringify(deleted.failed));
    assert.deepEqual((await java("GET", `${users(userId)}/authenticators`)).value, []);
  });

  test("Java testAction: track, validate the track token, updateAction to REVIEW_REQUIRED", async () => {
    const userId = randomUUID();
    await java("POST", `${users(userId)}/authenticators`, { verificationMethod: "SMS", phoneNumber: "+6427000000" });
    const tracked = (await java("POST", `${users(userId)}/actions/signIn`, { custom: { foo: "bar", baz: 1 } })).value;
    assert.equal(tracked.state, "CHALLENGE_REQUIRED");

    // Signet is deliberately stricter here (docs/api.md): a track token is no proof, so validate
    // answers 200 with isValid false instead of the action's state.
    const validated = await java("POST", "/validate", { token: tracked.token });
    assert.equal(validated.value.isValid, false);
    assert.equal(validated.value.error, "The token is not of a kind this endpoint accepts.");

    const path = `${users(userId)}/actions/signIn/${tracked.idempotencyKey}`;
    const updated = await java("PATCH", path, { state: "REVIEW_REQUIRED" });
    assert.equal(updated.value?.state, "REVIEW_REQUIRED", JSON.stringify(updated.failed));
  });

  test("Java testQueryUsers: by email, with a limit", async () => {
    const userId = randomUUID();
    const email = `test-${randomUUID()}@example.com`;
    await java("POST", users(userId), { email });

    const found = (await java("GET", `/users?email=${encodeURIComponent(email)}`)).value;
    assert.equal(found.users[0].userId, userId);
    assert.equal(found.users[0].email, email);
    const limited = (await java("GET", `/users?limit=1&email=${encodeURIComponent(email)}`)).value;
    assert.ok(limited.users.length <= 1);
  });

  test("Java testQueryUserActions: all, by codes, by state", async () => {
    const userId = randomUUID();
    await java("POST", `${users(userId)}/authenticators`, { verificationMethod: "SMS", phoneNumber: "+6427000000" });
    await java("POST", `${users(userId)}/actions/signIn`, {});

    const [action] = (await java("GET", `${users(userId)}/actions`)).value;
    assert.equal(action.actionCode, "signIn");
    assert.ok(action.idempotencyKey && action.createdAt && action.state);
    const byCode = (await java("GET", `${users(userId)}/actions?codes=signIn`)).value;
    assert.ok(byCode.length > 0 && byCode.every((a) => a.actionCode === "signIn"));
    const byState = (await java("GET", `${users(userId)}/actions?state=CHALLENGE_REQUIRED`)).value;
    assert.ok(byState.length > 0 && byState.every((a) => a.state === "CHALLENGE_REQUIRED"));
  });

  test("Python: every answer with a body is exactly application/json, so the SDK decodes it", async () => {
    const userId = `py-${randomUUID()}`;
    const calls = [
      ["PATCH", users(userId), { phoneNumber: "9876543210", email: null }],
      ["GET", users(userId)],
      ["POST", `${users(userId)}/authenticators`, { verificationMethod: "SMS", phoneNumber: "+6427000000" }],
      ["GET", `${users(userId)}/authenticators`],
      ["POST", `${users(userId)}/actions/signIn`, { phoneNumber: "1234567890", email: "not-a-real-email@example.com" }],
    ];
    const answers = [];
    for (const [method, path, body] of calls) {
      const answer = await python(method, path, body);
      assert.ok(!answer.failed, `${method} ${path}: ${JSON.stringify(answer.failed)}`);
      assert.equal(answer.contentType, "application/json", `${method} ${path}`);
      answers.push(answer.value);
    }
    assert.equal(answers[0].phoneNumber, "9876543210");
    const tracked = answers[4];
    const path = `${users(userId)}/actions/signIn/${tracked.idempotencyKey}`;
    for (const state of ["REVIEW_REQUIRED", "BLOCK"]) {
      const updated = await python("PATCH", path, { state });
      assert.equal(updated.contentType, "application/json");
      assert.equal(updated.value.state, state);
      const read = await python("GET", path);
      assert.equal(read.value.state, state);
      assert.equal(typeof read.value.output, "object");
    }
    const validated = await python("POST", "/validate", { token: tracked.token });
    assert.equal(validated.contentType, "application/json");
    assert.equal(validated.value.isValid, false);

    assert.ok(!(await python("DELETE", users(userId))).failed);
  });

  test("Python: a failure carries errorCode and errorDescription", async () => {
    const missing = await python("GET", `${users(`py-${randomUUID()}`)}/actions/signIn/no-such-key`);
    assert.equal(missing.failed.statusCode, 404);
    assert.equal(missing.failed.errorCode, "not_found");
    assert.equal(typeof missing.failed.errorDescription, "string");

    const invalid = await python("PATCH", `${users(`py-${randomUUID()}`)}/actions/signIn/k`, { state: "APPROVED" });
    assert.equal(invalid.failed.errorCode, "invalid_request");
  });
});
