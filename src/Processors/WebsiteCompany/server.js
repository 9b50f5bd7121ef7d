// The IT company that keeps Procexon's website, as a processor that is not written in .NET: it receives Procexon's
// notices as CloudEvents over webhooks signed per Standard Webhooks, keeps its own copy of what was disclosed to it,
// erases, corrects, restricts or releases that copy when told, and confirms through Procexon's gateway with its client-credentials token.
// README.md is the integration guide this program follows.
import { createServer } from "node:http";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { Store } from "./store.js";

export const EventTypes = {
  disclosure: "fi.procexon.disclosure.v1",
  erasure: "fi.procexon.notice.erasure.v1",
  rectification: "fi.procexon.notice.rectification.v1",
  merged: "fi.procexon.subjects.merged.v1",
  restriction: "fi.procexon.notice.restriction.v1",
  restrictionLifted: "fi.procexon.notice.restriction-lifted.v1",
};

const MaxBodyBytes = 1024 * 1024;

/** Reads the settings from the environment; a missing one stops the start, naming it. */
export function configFromEnvironment(env = process.env) {
  const required = (name) => {
    const value = env[name];
    if (!value) {
      throw new Error(`${name} is missing: see README.md, "Settings".`);
    }
    return value;
  };
  return {
    port: Number(env.PORT ?? 5106),
    host: env.HOST ?? "127.0.0.1",
    webhookSecret: required("WEBHOOK_SECRET"),
    gatewayUrl: required("GATEWAY_URL").replace(/\/$/, ""),
    clientId: required("CLIENT_ID"),
    clientSecret: required("CLIENT_SECRET"),
    dataDir: required("DATA_DIR"),
    storeKey: required("STORE_KEY"),
  };
}

/** The processor: an HTTP server and the loop that sends its confirmations. Returns { server, store, close }. */
export function createProcessor(config, log = console) {
  const webhook = new Webhook(config.webhookSecret);
  const store = new Store(config.dataDir, config.storeKey);
  const confirmations = new Confirmations(config, store, log);

  const server = createServer(async (request, response) => {
    try {
      if (request.method === "GET" && request.url === "/health") {
        return send(response, 200, "text/plain", "Healthy");
      }
      if (request.method === "POST" && request.url === "/webhooks") {
        return await receive(request, response);
      }
      if (request.method === "GET" && request.url.startsWith("/records/count?")) {
        // How many records of a subject the company holds, and how many of them are restricted: numbers, never the data.
        const subject = new URL(request.url, "http://localhost").searchParams.get("subject") ?? "";
        const records = store.recordsOf(subject);
        return send(response, 200, "application/json",
          JSON.stringify({ subject, records: records.length, restricted: records.filter((r) => r.restrictedAt).length }));
      }
      return problem(response, 404, "Not found", `Nothing at ${request.method} ${request.url}.`);
    } catch (error) {
      log.error(`website-company: ${error.message}`);
      return problem(response, 500, "Internal error", "The event was not handled; send it again.");
    }
  });

  async function receive(request, response) {
    const body = await readBody(request);
    if (body === null) {
      return problem(response, 413, "Body too large", `At most ${MaxBodyBytes} bytes.`);
    }

    // The signature over id, timestamp and the exact bytes received, and a timestamp within five minutes of now: a
    // tampered body, another secret or a replayed old request is refused before anything is read from it.
    try {
      webhook.verify(body, request.headers);
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        log.warn(`website-company: refused a webhook: ${error.message}`);
        return problem(response, 401, "Signature not verified", error.message);
      }
      throw error;
    }

    const event = JSON.parse(body);
    if (event.specversion !== "1.0" || typeof event.id !== "string" || event.id !== request.headers["webhook-id"]) {
      return problem(response, 400, "Not a CloudEvent", "specversion 1.0 and an id equal to webhook-id are required.", "id");
    }

    // At-least-once delivery: the same id again is acknowledged and changes nothing.
    if (store.handled(event.id)) {
      return send(response, 200, "application/json", JSON.stringify({ duplicate: true }));
    }

    const data = event.data ?? {};
    switch (event.type) {
      case EventTypes.disclosure:
        store.apply(event.id, event.type, (state) => {
          state.records[data.disclosureId] = {
            disclosureId: data.disclosureId,
            subjectId: data.subjectId,
            subject: data.subject,
            categories: data.categories,
            legalBasis: data.legalBasis,
            receivedAt: event.time,
          };
        });
        break;
      case EventTypes.erasure: {
        const erased = store.apply(event.id, event.type, (state) => {
          let count = 0;
          for (const [id, record] of Object.entries(state.records)) {
            if (data.subjectIds.includes(record.subjectId)) {
              delete state.records[id];
              count++;
            }
          }
          state.confirmations.push({ noticeId: data.noticeId, path: data.confirmation, detail: `Erased ${count} records` });
          return count;
        });
        log.info(`website-company: erasure notice ${data.noticeId}: ${erased} records erased`);
        break;
      }
      case EventTypes.rectification: {
        const corrected = store.apply(event.id, event.type, (state) => {
          let count = 0;
          for (const record of Object.values(state.records)) {
            if (data.subjectIds.includes(record.subjectId)) {
              for (const { field, value } of data.corrections) {
                record.subject = { ...record.subject, [field]: value };
              }
              count++;
            }
          }
          state.confirmations.push({ noticeId: data.noticeId, path: data.confirmation, detail: `Corrected ${count} records` });
          return count;
        });
        log.info(`website-company: rectification notice ${data.noticeId}: ${corrected} records corrected`);
        break;
      }
      case EventTypes.restriction:
      case EventTypes.restrictionLifted: {
        // Restricted: kept, but not otherwise processed until the lifting arrives (GDPR Art 18); lifted: processed again.
        const restrict = event.type === EventTypes.restriction;
        const changed = store.apply(event.id, event.type, (state) => {
          let count = 0;
          for (const record of Object.values(state.records)) {
            if (data.subjectIds.includes(record.subjectId) && Boolean(record.restrictedAt) !== restrict) {
              if (restrict) {
                record.restrictedAt = event.time;
              } else {
                delete record.restrictedAt;
              }
              count++;
            }
          }
          const detail = restrict ? `Restricted ${count} records` : `Released ${count} records`;
          state.confirmations.push({ noticeId: data.noticeId, path: data.confirmation, detail });
          return count;
        });
        log.info(`website-company: ${restrict ? "restriction" : "restriction lifted"} notice ${data.noticeId}: ${changed} records changed`);
        break;
      }
      case EventTypes.merged: {
        // Later notices name the survivor only: the duplicate's records must answer to its id from now on.
        const moved = store.apply(event.id, event.type, (state) => {
          let count = 0;
          for (const record of Object.values(state.records)) {
            if (record.subjectId === data.duplicateId) {
              record.subjectId = data.mergedInto;
              count++;
            }
          }
          return count;
        });
        log.info(`website-company: subject merge ${data.mergeId}: ${moved} records moved to the surviving subject`);
        break;
      }
      default:
        // A type this version does not know: acknowledged, so Procexon does not retry it for nothing, and logged.
        store.apply(event.id, event.type, () => {});
        log.warn(`website-company: ignored an event of unknown type ${event.type}`);
    }

    confirmations.wake();
    return send(response, 200, "application/json", JSON.stringify({ handled: event.id }));
  }

  confirmations.start();
  return {
    server,
    store,
    close: async () => {
      confirmations.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Confirms handled notices through the gateway, from the store, so a confirmation that failed (gateway away, token
 * refused) is sent again after a restart too; tries again with backoff until Procexon answers 2xx or 409 (confirmed
 * already).
 */
class Confirmations {
  constructor(config, store, log) {
    this.config = config;
    this.store = store;
    this.log = log;
    this.token = null;
    this.failures = 0;
    this.timer = null;
    this.running = false;
    this.stopped = false;
  }

  start() {
    this.wake();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  wake(delay = 0) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delay);
  }

  async run() {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      while (this.store.state.confirmations.length > 0 && !this.stopped) {
        const next = this.store.state.confirmations[0];
        await this.confirm(next);
        this.store.state.confirmations.shift();
        this.store.save();
        this.failures = 0;
      }
    } catch (error) {
      this.failures++;
      const delay = Math.min(60_000, 500 * 2 ** Math.min(this.failures, 7)) * (0.5 + Math.random());
      this.log.warn(`website-company: confirmation failed (${error.message}); retrying in ${Math.round(delay)} ms`);
      this.running = false;
      this.wake(delay);
      return;
    }
    this.running = false;
  }

  async confirm({ noticeId, path, detail }) {
    const response = await fetch(`${this.config.gatewayUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${await this.accessToken()}`, "content-type": "application/json" },
      body: JSON.stringify({ detail }),
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status === 401) {
      this.token = null;
    }
    // 409: confirmed already (an earlier try got through, or staff confirmed by hand): nothing left to do.
    if (!response.ok && response.status !== 409) {
      throw new Error(`the gateway answered ${response.status} for notice ${noticeId}`);
    }
    this.log.info(`website-company: confirmed notice ${noticeId}`);
  }

  /** A client-credentials token of the company's own client, kept until shortly before it expires. */
  async accessToken() {
    if (this.token && this.token.expiresAt > Date.now() + 30_000) {
      return this.token.value;
    }
    const response = await fetch(`${this.config.gatewayUrl}/connect/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: this.config.clientId,
        client_secret: this.config.clientSecret,
        scope: "api",
      }),
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) {
      throw new Error(`the token endpoint answered ${response.status}`);
    }
    const token = await response.json();
    this.token = { value: token.access_token, expiresAt: Date.now() + token.expires_in * 1000 };
    return this.token.value;
  }
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MaxBodyBytes) {
        resolve(null);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response, status, contentType, body) {
  response.writeHead(status, { "content-type": contentType });
  response.end(body);
}

/** RFC 9457 problem details, naming the field where one is at fault. */
function problem(response, status, title, detail, field) {
  const body = { type: "about:blank", title, status, detail };
  if (field) {
    body.errors = { [field]: [detail] };
  }
  send(response, status, "application/problem+json", JSON.stringify(body));
}

// Run directly (not imported by the tests): listen on the configured port.
if (import.meta.url === `file://${process.argv[1]}`) {
  const config = configFromEnvironment();
  const { server, close } = createProcessor(config);
  server.listen(config.port, config.host, () => console.log(`website-company: listening on http://${config.host}:${config.port}`));
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => close().then(() => process.exit(0)));
  }
}
