// Helpers of the browser tests: where the stack is, unique users and numbers, the sandbox inbox
// and polling. The stack comes from BrowserSdkIT (or exported variables when run by hand).
import assert from "node:assert/strict";
import { randomInt, randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run through BrowserSdkIT or export it`);
  }
  return value.replace(/\/+$/, "");
}

export const apiUrl = required("SIGNET_API_URL"); // e.g. http://127.0.0.1:8180/v1
export const apiSecret = required("SIGNET_API_SECRET");
export const sandboxUrl = required("SIGNET_SANDBOX_URL");
export const tenantId = process.env.SIGNET_TENANT_ID || "signet";

// Numbers from the upper part of 07700 9xxxxx above the Node SDK tests' lower half and below the
// Java bad-input table's range, from a random start, so parallel suites do not share an inbox.
let nextPhone = 50000 + randomInt(0, 20000);

export function uniquePhone() {
  const suffix = nextPhone;
  nextPhone += 1;
  return "+4477009" + String(suffix).padStart(5, "0");
}

export function uniqueUserId(prefix = "browser") {
  return `${prefix}-${randomUUID()}`;
}

export async function inbox(phone) {
  const response = await fetch(`${sandboxUrl}/inbox?to=${encodeURIComponent(phone)}`, {
    signal: AbortSignal.timeout(5000),
  });
  assert.equal(response.status, 200, "sandbox inbox answers");
  return (await response.json()).messages;
}

export async function eventually(what, check, timeoutMs = 30000, intervalMs = 150) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await delay(intervalMs);
  }
}

/** Waits for the count-th message to phone and returns the code of the newest. */
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

export function wrongCode(code) {
  return [...code].map((d) => String((Number(d) + 5) % 10)).join("");
}
