// Signet's signed webhooks as the official SDK verifies them: a receiver registered with
// audit-service gets the challenge.requested event of a challenge made through the SDK, and
// Webhook.constructEvent (the SDK's own verifier, keyed with the API secret) accepts it, while a
// tampered body, another secret, a moved timestamp and a replay after the SDK's five-minute
// tolerance are all rejected.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { Authsignal, Webhook } from "@authsignal/node";
import { apiSecret, apiUrl, eventually, uniquePhone, uniqueUserId } from "../lib/support.mjs";

const auditUrl = (process.env.SIGNET_AUDIT_URL || "").replace(/\/+$/, "");
const managementSecret = process.env.SIGNET_MANAGEMENT_SECRET;
const authsignal = new Authsignal({ apiSecretKey: apiSecret, apiUrl });

async function management(method, path, body) {
  const response = await fetch(`${auditUrl}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${managementSecret}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe("signed webhooks verified by @authsignal/node", { timeout: 90000 }, () => {
  const received = [];
  let server;
  let endpointId;

  before(async () => {
    assert.ok(auditUrl, "SIGNET_AUDIT_URL is set");
    server = createServer((req, res) => {
      const chunks = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        received.push({
          // The raw body, exactly as sent: the SDK verifies bytes, not re-serialised JSON.
          payload: Buffer.concat(chunks).toString("utf8"),
          signature: req.headers["x-signature-v2"],
          eventIdHeader: req.headers["x-signet-event-id"],
          contentType: req.headers["content-type"],
          at: Date.now(),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    const registered = await management("POST", "/v1/audit/webhooks", {
      url: `http://127.0.0.1:${server.address().port}/hooks/signet`,
      eventTypes: ["challenge.requested"],
      description: "node SDK compatibility test",
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    endpointId = registered.body.endpointId;
    assert.match(endpointId, /^wh_[0-9a-f]{20}$/);
    assert.deepEqual(registered.body.eventTypes, ["challenge.requested"]);
    assert.equal(registered.body.enabled, true);
  });

  after(async () => {
    if (endpointId) {
      const deleted = await management("DELETE", `/v1/audit/webhooks/${endpointId}`);
      assert.equal(deleted.status, 204);
    }
    await new Promise((resolve) => server.close(resolve));
  });

  test("a delivery passes Webhook.constructEvent and tampering does not", async () => {
    const phoneNumber = uniquePhone();
    const { challengeId } = await authsignal.challenge({
      verificationMethod: "SMS",
      action: "signInWithSms",
      phoneNumber,
      userId: uniqueUserId("webhook"),
    });

    const delivery = await eventually(
      "the challenge.requested webhook",
      () => received.find((r) => JSON.parse(r.payload).data?.challengeId === challengeId),
      45000,
    );

    // The SDK's verifier, keyed with the API secret: both as a class and on the client.
    const event = new Webhook(apiSecret).constructEvent(delivery.payload, delivery.signature);
    assert.deepEqual(authsignal.webhook.constructEvent(delivery.payload, delivery.signature), event);
    assert.deepEqual(Object.keys(event), ["version", "id", "source", "time", "tenantId", "type", "data"]);
    assert.equal(event.version, 1);
    assert.equal(event.type, "challenge.requested");
    assert.equal(event.tenantId, "signet");
    assert.equal(event.source, "signet");
    assert.equal(event.id, delivery.eventIdHeader, "the event id is also a header, to de-duplicate on");
    assert.ok(!Number.isNaN(Date.parse(event.time)));
    assert.equal(event.data.challengeId, challengeId);
    assert.equal(event.data.type, "challenge.requested");
    assert.equal(delivery.contentType, "application/json");
    // The full number never leaves Signet in a webhook; only the masked one.
    assert.ok(!delivery.payload.includes(phoneNumber.slice(1)), "no clear phone number");
    assert.match(event.data.phoneNumberMasked, /^\+44\*+\d{4}$/);

    // The header is t=<unix seconds>,v2=<unpadded base64>, signed at the attempt.
    const match = /^t=(\d+),v2=([A-Za-z0-9+/]{43})$/.exec(delivery.signature);
    assert.ok(match, `header format: ${delivery.signature}`);
    assert.ok(Math.abs(Number(match[1]) - Math.round(delivery.at / 1000)) <= 30, "signed now");

    // Tampered body, another secret, a moved timestamp: all rejected by the SDK.
    const tampered = delivery.payload.replace(challengeId, `${challengeId.slice(0, -1)}X`);
    assert.notEqual(tampered, delivery.payload);
    assert.throws(() => new Webhook(apiSecret).constructEvent(tampered, delivery.signature), /Signature mismatch/);
    assert.throws(
      () => new Webhook("not-the-api-secret").constructEvent(delivery.payload, delivery.signature),
      /Signature mismatch/,
    );
    const moved = delivery.signature.replace(/^t=\d+/, `t=${Number(match[1]) + 1}`);
    assert.throws(() => new Webhook(apiSecret).constructEvent(delivery.payload, moved), /Signature mismatch/);

    // A captured delivery replayed six minutes later is outside the SDK's tolerance.
    const realNow = Date.now;
    try {
      Date.now = () => realNow() + 6 * 60 * 1000;
      assert.throws(
        () => new Webhook(apiSecret).constructEvent(delivery.payload, delivery.signature),
        /tolerance/,
      );
    } finally {
      Date.now = realNow;
    }

    // The delivery log: delivered at the first attempt, with the receiver's status.
    const log = await eventually("the delivery log entry", async () => {
      const list = await management(
        "GET",
        `/v1/audit/webhooks/deliveries?endpointId=${endpointId}&eventId=${event.id}`,
      );
      assert.equal(list.status, 200);
      const item = list.body.items[0];
      return item && item.state === "DELIVERED" ? item : undefined;
    });
    assert.equal(log.attempts, 1);
    assert.equal(log.lastStatusCode, 200);
    assert.equal(log.eventType, "challenge.requested");
  });
});
