// Verifies recorded webhook deliveries with the official SDK: reads a JSON array of
// {payload, signature} from the file named on the command line and calls
// Webhook.constructEvent(payload, signature) with SIGNET_API_SECRET for each, and for a copy of
// each with one character of the body changed, which must be rejected. Prints "verified <n>" and
// exits 0 only when every delivery passes and every tampered copy fails. Used by WebhookOutageIT.
import { readFileSync } from "node:fs";
import { Webhook } from "@authsignal/node";

const secret = process.env.SIGNET_API_SECRET;
const deliveries = JSON.parse(readFileSync(process.argv[2], "utf8"));
const webhook = new Webhook(secret);
let verified = 0;
const problems = [];
for (const { payload, signature } of deliveries) {
  try {
    const event = webhook.constructEvent(payload, signature);
    if (event.version !== 1 || !event.id || !event.type || !event.data) {
      problems.push(`not an event envelope: ${payload.slice(0, 80)}`);
      continue;
    }
    verified++;
  } catch (e) {
    problems.push(`rejected: ${e.message}`);
  }
  const tampered = payload.replace('"version":1', '"version":2');
  try {
    webhook.constructEvent(tampered, signature);
    problems.push("a tampered copy was accepted");
  } catch (e) {
    // expected
  }
}
if (problems.length > 0 || verified === 0) {
  console.error(problems.slice(0, 10).join("\n"));
  process.exit(1);
}
console.log(`verified ${verified}`);
