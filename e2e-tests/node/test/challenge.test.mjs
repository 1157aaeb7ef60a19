// POST /v1/challenge through the official @authsignal/node SDK: response fields, the SMS in the
// sandbox, and how the SDK surfaces Signet's error bodies.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Authsignal } from "@authsignal/node";
import {
  apiSecret,
  apiUrl,
  authsignalError,
  codeFromInbox,
  uniquePhone,
  UNAUTHORIZED_DESCRIPTION,
} from "../lib/support.mjs";

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });

describe("challenge via @authsignal/node", { concurrency: true, timeout: 60000 }, () => {
  test("challenge returns challengeId, idempotencyKey and expiresAt and sends a code", async () => {
    const phoneNumber = uniquePhone();
    const before = Math.floor(Date.now() / 1000);

    const response = await authsignal.challenge({
      verificationMethod: "SMS",
      action: "signInWithSms",
      phoneNumber,
    });

    assert.deepEqual(Object.keys(response).sort(), ["challengeId", "expiresAt", "idempotencyKey"]);
    assert.match(response.challengeId, /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(typeof response.idempotencyKey, "string");
    assert.ok(response.idempotencyKey.length > 0);
    assert.equal(typeof response.expiresAt, "number");
    assert.ok(Number.isInteger(response.expiresAt), "expiresAt is whole Unix seconds");
    assert.ok(response.expiresAt >= before + 590 && response.expiresAt <= before + 610, "10 minutes");

    const code = await codeFromInbox(phoneNumber, 1);
    assert.match(code, /^\d{6}$/);
  });

  test("a wrong API secret surfaces unauthorized with the documented description", async () => {
    const wrong = new Authsignal({ apiSecretKey: "not-the-secret", apiUrl, retries: 0 });

    const error = await authsignalError(() =>
      wrong.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber: uniquePhone() }),
    );

    assert.equal(error.statusCode, 401);
    assert.equal(error.errorCode, "unauthorized");
    assert.equal(error.errorDescription, UNAUTHORIZED_DESCRIPTION);
    assert.equal(error.message, `AuthsignalError: 401 - ${UNAUTHORIZED_DESCRIPTION}`);
  });

  test("a national-format number surfaces invalid_request with a description", async () => {
    const error = await authsignalError(() =>
      authsignal.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber: "07700900123" }),
    );

    assert.equal(error.statusCode, 400);
    assert.equal(error.errorCode, "invalid_request");
    assert.match(error.errorDescription, /phoneNumber/);
    assert.equal(error.message, `AuthsignalError: 400 - ${error.errorDescription}`);
  });

  test("an unknown route surfaces not_found, never an unexpected_error", async () => {
    const elsewhere = new Authsignal({ apiSecretKey: apiSecret, apiUrl: `${apiUrl}/no-such-prefix`, retries: 0 });

    const error = await authsignalError(() =>
      elsewhere.challenge({ verificationMethod: "SMS", action: "signIn", phoneNumber: uniquePhone() }),
    );

    assert.equal(error.statusCode, 404);
    assert.equal(error.errorCode, "not_found");
    assert.ok(error.errorDescription.length > 0);
  });
});
