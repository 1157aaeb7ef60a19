// SDKs retry POSTs on connection errors: a repeated challenge with the same idempotencyKey within
// the cooldown answers the same challenge and sends no second SMS.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { Authsignal } from "@authsignal/node";
import { apiSecret, apiUrl, codeFromInbox, inbox, quiesce, uniquePhone } from "../lib/support.mjs";

const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });

describe("idempotent challenge via @authsignal/node", { timeout: 60000 }, () => {
  test("the same idempotencyKey twice gives one challenge and one SMS", async () => {
    const phoneNumber = uniquePhone();
    const idempotencyKey = randomUUID();
    const request = { verificationMethod: "SMS", action: "signIn", phoneNumber, idempotencyKey };

    const first = await authsignal.challenge(request);
    const second = await authsignal.challenge(request);

    assert.equal(first.idempotencyKey, idempotencyKey);
    assert.equal(second.challengeId, first.challengeId);
    assert.equal(second.idempotencyKey, idempotencyKey);
    await codeFromInbox(phoneNumber, 1);
    await quiesce(authsignal);
    assert.equal((await inbox(phoneNumber)).length, 1, "no second SMS");
  });
});
