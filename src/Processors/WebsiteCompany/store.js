// The company's own copy of what Procexon disclosed to it, and the events it has handled, in one file in its data
// folder, encrypted (AES-256-GCM under a key derived from STORE_KEY: the copy holds e-mail addresses and phone numbers).
// Every change is written to a temporary file and renamed over the old one, so a crash leaves either the old or the
// new state, never half of one.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const Format = 1;

export class Store {
  constructor(dataDir, secret) {
    if (!secret || secret.length < 32) {
      throw new Error("STORE_KEY is missing or shorter than 32 characters: it encrypts the company's copy at rest.");
    }
    this.key = Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "procexon/website-company/store/v1", 32));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, "store.json");
    this.state = existsSync(this.path) ? this.open(readFileSync(this.path, "utf8")) : { records: {}, handled: {}, confirmations: [] };
  }

  /** Whether the event with this id was handled already (the same id arrives again on a redelivery). */
  handled(eventId) {
    return Object.hasOwn(this.state.handled, eventId);
  }

  /** Applies one event's changes and marks it handled in the same write. */
  apply(eventId, type, change) {
    const result = change(this.state);
    this.state.handled[eventId] = { type, at: new Date().toISOString() };
    this.save();
    return result;
  }

  save() {
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, this.seal(JSON.stringify(this.state)), { mode: 0o600 });
    renameSync(temporary, this.path);
  }

  recordsOf(subjectId) {
    return Object.values(this.state.records).filter((r) => r.subjectId === subjectId);
  }

  seal(plain) {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return JSON.stringify({ v: Format, nonce: nonce.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") });
  }

  open(text) {
    const sealed = JSON.parse(text);
    if (sealed.v !== Format) {
      throw new Error(`${this.path} is not in a format this version writes.`);
    }
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(sealed.nonce, "base64"));
    decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
    // Throws when the file was altered or written under another STORE_KEY.
    return JSON.parse(Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8"));
  }
}
