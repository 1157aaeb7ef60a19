// Shared helpers for the SDK compatibility tests: where the stack is, unique phone numbers, the
// sandbox inbox, polling without sleeps in the assertions, and JWT decoding (no verification; the
// server does that).
import assert from "node:assert/strict";
import { randomInt, randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run through AuthsignalNodeSdkIT or export it`);
  }
  return value.replace(/\/+$/, "");
}

export const apiUrl = required("SIGNET_API_URL"); // e.g. http://127.0.0.1:8180/v1
export const apiSecret = required("SIGNET_API_SECRET");
export const sandboxUrl = required("SIGNET_SANDBOX_URL"); // e.g. http://127.0.0.1:8190

export const UNAUTHORIZED_DESCRIPTION =
  "The request is unauthorized. Check that your API key and region base URL are correctly configured.";

// Numbers are handed out in sequence from a random start in +447700901000 to +447700929999: the
// block below holds the fixed numbers tests name (the configured test number among them) and the
// Java tests take the numbers above, so no two tests of a run share an inbox or a limit.
const PHONE_FIRST = 1000;
const PHONE_COUNT = 29000;
let nextPhone = randomInt(0, PHONE_COUNT);

/** A fresh number in Ofcom's fictional 07700 9xxxxx range, so no test sees another's messages. */
export function uniquePhone() {
  const suffix = PHONE_FIRST + nextPhone;
  nextPhone = (nextPhone + 1) % PHONE_COUNT;
  return "+4477009" + String(suffix).padStart(5, "0");
}

export function uniqueUserId(prefix = "sdk") {
  return `${prefix}-${randomUUID()}`;
}

/** Messages the sandbox received for a number, newest first. */
export async function inbox(phone) {
  const response = await fetch(`${sandboxUrl}/inbox?to=${encodeURIComponent(phone)}`, {
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(response.status, 200, "sandbox inbox answers");
  const body = await response.json();
  return body.messages;
}

/** Polls until check() returns a value other than undefined/false, or fails after timeoutMs. */
export async function eventually(what, check, timeoutMs = 30000, intervalMs = 150) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last !== undefined && last !== false && last !== null) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await delay(intervalMs);
  }
}

/** Waits until the inbox of phone holds count messages and returns the code of the newest. */
export async function codeFromInbox(phone, count = 1) {
  const messages = await eventually(`${count} message(s) for ${phone.slice(0, 6)}…`, async () => {
    const m = await inbox(phone);
    return m.length >= count ? m : undefined;
  });
  assert.equal(messages.length, count, "no extra messages arrive");
  const match = /\b(\d{6})\b/.exec(messages[0].text);
  assert.ok(match, "the SMS holds a 6-digit code");
  return match[1];
}

/** A code that is certainly not the right one (differs in every digit). */
export function wrongCode(code) {
  return [...code].map((d) => String((Number(d) + 5) % 10)).join("");
}

export function decodeJwt(token) {
  const parts = token.split(".");
  assert.equal(parts.length, 3, "a JWT has three parts");
  const json = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  return { header: json(parts[0]), payload: json(parts[1]) };
}

export function absent(value) {
  return value === undefined || value === null;
}

/** Asserts an ISO-8601 timestamp within the last few minutes (server clocks are the same host). */
export function assertRecentIso(value, what) {
  assert.equal(typeof value, "string", `${what} is an ISO-8601 string`);
  const at = Date.parse(value);
  assert.ok(!Number.isNaN(at), `${what} parses as a date: ${value}`);
  assert.ok(Math.abs(Date.now() - at) < 5 * 60 * 1000, `${what} is recent: ${value}`);
}

/** Runs fn and returns the AuthsignalError it throws (fails when it does not throw). */
export async function authsignalError(fn) {
  try {
    await fn();
  } catch (error) {
    assert.equal(error.name, "AuthsignalError", `the SDK maps the failure: ${error}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

/**
 * A barrier for "nothing was sent": sends a challenge to a fresh number and waits for its SMS.
 * Messages are dispatched in order from one topic partition, so once this one has arrived, any SMS
 * requested before it would have arrived too.
 */
export async function quiesce(authsignal) {
  const sentinel = uniquePhone();
  await authsignal.challenge({ verificationMethod: "SMS", action: "sentinel", phoneNumber: sentinel });
  await codeFromInbox(sentinel, 1);
}
