// The company's own copy of what Procexon disclosed to it, and the events it has handled, in one JSON file in its data
// folder. Every change is written to a temporary file and renamed over the old one, so a crash leaves either the old
// or the new state, never half of one.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

export class Store {
  constructor(dataDir) {
    mkdirSync(dataDir, { recursive: true });
    this.path = join(dataDir, "store.json");
    this.state = existsSync(this.path)
      ? JSON.parse(readFileSync(this.path, "utf8"))
      : { records: {}, handled: {}, confirmations: [] };
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
    writeFileSync(temporary, JSON.stringify(this.state, null, 2), { mode: 0o600 });
    renameSync(temporary, this.path);
  }

  recordsOf(subjectId) {
    return Object.values(this.state.records).filter((r) => r.subjectId === subjectId);
  }
}
