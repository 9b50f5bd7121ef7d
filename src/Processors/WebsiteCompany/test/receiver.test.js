// The receiver refuses what it must refuse and applies each notice once: run with `node --test` (npm test), and by
// tests/Procexon.DisclosureLog.Tests (WebsiteCompanyReceiverTests) so CI runs it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { createProcessor, EventTypes } from "../server.js";

const secret = `whsec_${randomBytes(32).toString("base64")}`;
const quiet = { info() {}, warn() {}, error() {} };
let processor;
let gateway;
let baseUrl;
let dataDir;
const confirmed = [];

before(async () => {
  // A stand-in for Procexon's gateway: a token endpoint and the confirmation routes.
  gateway = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      if (request.url === "/connect/token") {
        response.writeHead(200, { "content-type": "application/json" });
        return response.end(JSON.stringify({ access_token: "token", expires_in: 600 }));
      }
      confirmed.push({ path: request.url, authorization: request.headers.authorization, body: JSON.parse(body) });
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{}");
    });
  });
  await new Promise((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  dataDir = mkdtempSync(join(tmpdir(), "website-company-"));
  processor = createProcessor({
    webhookSecret: secret,
    gatewayUrl: `http://127.0.0.1:${gateway.address().port}`,
    clientId: "dev-processor-website-it-company",
    clientSecret: "test",
    dataDir,
    storeKey: randomBytes(32).toString("hex"),
  }, quiet);
  await new Promise((resolve) => processor.server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${processor.server.address().port}`;
});

after(async () => {
  await processor.close();
  await new Promise((resolve) => gateway.close(resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

function cloudEvent(type, data, id = randomUUID()) {
  return { specversion: "1.0", id, source: "urn:fi.procexon:disclosurelog", type, time: new Date().toISOString(), datacontenttype: "application/json", data };
}

async function post(event, { signWith = secret, at = new Date(), body = JSON.stringify(event) } = {}) {
  // Several secrets sign as Procexon does during a rotation's overlap: space-separated signatures, any one may verify.
  const signature = [signWith].flat().map((s) => new Webhook(s).sign(event.id, at, JSON.stringify(event))).join(" ");
  return fetch(`${baseUrl}/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/cloudevents+json; charset=utf-8",
      "webhook-id": event.id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body,
  });
}

async function recordsOf(subject) {
  const response = await fetch(`${baseUrl}/records/count?subject=${subject}`);
  return (await response.json()).records;
}

function disclosure(subjectId) {
  return cloudEvent(EventTypes.disclosure, {
    disclosureId: randomUUID(), subjectId, subject: { email: "maija@example.fi" }, categories: ["basic-data"], legalBasis: "contract",
  });
}

test("a signed disclosure is kept", async () => {
  const subject = randomUUID();
  const response = await post(disclosure(subject));
  assert.equal(response.status, 200);
  assert.equal(await recordsOf(subject), 1);
});

test("a tampered body is refused and changes nothing", async () => {
  const subject = randomUUID();
  const event = disclosure(subject);
  const tampered = JSON.stringify({ ...event, data: { ...event.data, subjectId: randomUUID() } });
  const response = await post(event, { body: tampered });
  assert.equal(response.status, 401);
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  assert.equal(await recordsOf(subject), 0);
});

test("a signature made with another secret is refused", async () => {
  const subject = randomUUID();
  const response = await post(disclosure(subject), { signWith: `whsec_${randomBytes(32).toString("base64")}` });
  assert.equal(response.status, 401);
  assert.equal(await recordsOf(subject), 0);
});

test("during a secret rotation two signatures arrive and the one made with this receiver's secret is accepted, in either place", async () => {
  const subject = randomUUID();
  const other = `whsec_${randomBytes(32).toString("base64")}`;
  const newFirst = await post(disclosure(subject), { signWith: [other, secret] });
  assert.equal(newFirst.status, 200);
  const oldFirst = await post(disclosure(subject), { signWith: [secret, other] });
  assert.equal(oldFirst.status, 200);
  assert.equal(await recordsOf(subject), 2);
});

test("two signatures made with other secrets are refused", async () => {
  const subject = randomUUID();
  const response = await post(disclosure(subject), {
    signWith: [`whsec_${randomBytes(32).toString("base64")}`, `whsec_${randomBytes(32).toString("base64")}`],
  });
  assert.equal(response.status, 401);
  assert.equal(await recordsOf(subject), 0);
});

test("every signature of the header is checked: a valid one behind another scheme's and a wrong one is accepted, but not outside the timestamp window", async () => {
  // The header as a sender mid-rotation with a newer scheme might send it; the receiver's own v1 signature comes last.
  async function send(event, at) {
    const timestamp = Math.floor(at.getTime() / 1000);
    const own = new Webhook(secret).sign(event.id, at, JSON.stringify(event));
    const wrong = new Webhook(`whsec_${randomBytes(32).toString("base64")}`).sign(event.id, at, JSON.stringify(event));
    return fetch(`${baseUrl}/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/cloudevents+json; charset=utf-8",
        "webhook-id": event.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": `v1a,${randomBytes(64).toString("base64")} ${wrong} ${own}`,
      },
      body: JSON.stringify(event),
    });
  }
  const subject = randomUUID();
  assert.equal((await send(disclosure(subject), new Date())).status, 200);
  assert.equal((await send(disclosure(subject), new Date(Date.now() - 10 * 60 * 1000))).status, 401);
  assert.equal(await recordsOf(subject), 1);
});

test("a correctly signed request with a timestamp outside the five-minute window is refused", async () => {
  const subject = randomUUID();
  const old = await post(disclosure(subject), { at: new Date(Date.now() - 10 * 60 * 1000) });
  assert.equal(old.status, 401);
  assert.match((await old.json()).detail, /too old/);
  const future = await post(disclosure(subject), { at: new Date(Date.now() + 10 * 60 * 1000) });
  assert.equal(future.status, 401);
  assert.equal(await recordsOf(subject), 0);
});

test("an erasure notice erases the copy, is applied once however often it arrives, and is confirmed once with the token", async () => {
  const subject = randomUUID();
  await post(disclosure(subject));
  await post(disclosure(subject));
  assert.equal(await recordsOf(subject), 2);
  const noticeId = randomUUID();
  const notice = cloudEvent(EventTypes.erasure, {
    noticeId, requestId: randomUUID(), subjectIds: [subject], categories: ["basic-data"],
    confirmation: `/api/disclosures/notifications/${noticeId}/confirmation`,
  }, noticeId);

  assert.equal((await post(notice)).status, 200);
  const again = await post(notice);
  assert.equal(again.status, 200);
  assert.equal((await again.json()).duplicate, true);
  assert.equal(await recordsOf(subject), 0);

  for (let i = 0; i < 50 && !confirmed.some((c) => c.path.includes(noticeId)); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const confirmations = confirmed.filter((c) => c.path === `/api/disclosures/notifications/${noticeId}/confirmation`);
  assert.equal(confirmations.length, 1);
  assert.equal(confirmations[0].authorization, "Bearer token");
  assert.equal(confirmations[0].body.detail, "Erased 2 records");
});

test("a restriction notice marks the copy restricted and its lifting releases it, each applied once and confirmed once", async () => {
  const subject = randomUUID();
  await post(disclosure(subject));
  await post(disclosure(subject));
  const requestId = randomUUID();
  const notice = (type) => {
    const noticeId = randomUUID();
    return cloudEvent(type, {
      noticeId, requestId, subjectIds: [subject], categories: ["basic-data"],
      confirmation: `/api/restriction-notifications/${noticeId}/confirmation`,
    }, noticeId);
  };
  const restrictedOf = async () => (await (await fetch(`${baseUrl}/records/count?subject=${subject}`)).json()).restricted;
  const confirmationsOf = async (event) => {
    for (let i = 0; i < 50 && !confirmed.some((c) => c.path === event.data.confirmation); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return confirmed.filter((c) => c.path === event.data.confirmation);
  };

  const restriction = notice(EventTypes.restriction);
  assert.equal((await post(restriction)).status, 200);
  assert.equal((await (await post(restriction)).json()).duplicate, true);
  assert.equal(await restrictedOf(), 2);
  assert.equal(await recordsOf(subject), 2);
  const restrictionConfirmations = await confirmationsOf(restriction);
  assert.equal(restrictionConfirmations.length, 1);
  assert.equal(restrictionConfirmations[0].authorization, "Bearer token");
  assert.equal(restrictionConfirmations[0].body.detail, "Restricted 2 records");

  const lifting = notice(EventTypes.restrictionLifted);
  assert.equal((await post(lifting)).status, 200);
  assert.equal((await (await post(lifting)).json()).duplicate, true);
  assert.equal(await restrictedOf(), 0);
  assert.equal(await recordsOf(subject), 2);
  const liftingConfirmations = await confirmationsOf(lifting);
  assert.equal(liftingConfirmations.length, 1);
  assert.equal(liftingConfirmations[0].body.detail, "Released 2 records");
});

test("a merge moves the duplicate's records to the survivor, so a later erasure of the survivor erases them", async () => {
  const duplicate = randomUUID();
  const survivor = randomUUID();
  await post(disclosure(duplicate));
  const merged = await post(cloudEvent(EventTypes.merged, { mergeId: randomUUID(), duplicateId: duplicate, mergedInto: survivor, mergedAt: new Date().toISOString() }));
  assert.equal(merged.status, 200);
  assert.equal(await recordsOf(duplicate), 0);
  assert.equal(await recordsOf(survivor), 1);
});

test("the copy is encrypted at rest: the disclosed e-mail is not in the data folder's file", async () => {
  await post(disclosure(randomUUID()));
  const file = readFileSync(join(dataDir, "store.json"), "utf8");
  assert.doesNotMatch(file, /maija@example\.fi/);
  assert.equal(JSON.parse(file).v, 1);
});
