// A deliberately small reader for SlateDB manifest objects, so that the harness can find out what the
// binding does not tell it (0.12.1 has no Admin API): which checkpoints exist, how many L0 SSTs and sorted
// runs the latest manifest lists. It reads FlatBuffers by vtable slot, using the slot numbers of
// ManifestV1 as persisted by SlateDB (see slatedb-engine/src/main/fbs/manifest.fbs); it is not the
// project's manifest codec and does not try to be complete.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A FlatBuffers table at {@code pos} in {@code buf} (a Buffer). */
class Table {
  constructor(buf, pos) {
    this.buf = buf;
    this.pos = pos;
    this.vtable = pos - buf.readInt32LE(pos);
    this.vtableSize = buf.readUInt16LE(this.vtable);
  }

  /** Number of slots the writer's vtable declares (trailing absent fields are usually trimmed). */
  get slotCount() {
    return (this.vtableSize - 4) / 2;
  }

  offset(slot) {
    const v = 4 + 2 * slot;
    return v < this.vtableSize ? this.buf.readUInt16LE(this.vtable + v) : 0;
  }

  has(slot) {
    return this.offset(slot) !== 0;
  }

  u64(slot, dflt = 0n) {
    const o = this.offset(slot);
    return o === 0 ? dflt : this.buf.readBigUInt64LE(this.pos + o);
  }

  i64(slot, dflt = 0n) {
    const o = this.offset(slot);
    return o === 0 ? dflt : this.buf.readBigInt64LE(this.pos + o);
  }

  u32(slot, dflt = 0) {
    const o = this.offset(slot);
    return o === 0 ? dflt : this.buf.readUInt32LE(this.pos + o);
  }

  bool(slot, dflt = false) {
    const o = this.offset(slot);
    return o === 0 ? dflt : this.buf.readUInt8(this.pos + o) !== 0;
  }

  #target(slot) {
    const o = this.offset(slot);
    if (o === 0) {
      return -1;
    }
    const at = this.pos + o;
    return at + this.buf.readUInt32LE(at);
  }

  table(slot) {
    const t = this.#target(slot);
    return t < 0 ? null : new Table(this.buf, t);
  }

  tables(slot) {
    const t = this.#target(slot);
    if (t < 0) {
      return [];
    }
    const n = this.buf.readUInt32LE(t);
    const out = [];
    for (let i = 0; i < n; i++) {
      const at = t + 4 + 4 * i;
      out.push(new Table(this.buf, at + this.buf.readUInt32LE(at)));
    }
    return out;
  }

  bytes(slot) {
    const t = this.#target(slot);
    if (t < 0) {
      return null;
    }
    const n = this.buf.readUInt32LE(t);
    return this.buf.subarray(t + 4, t + 4 + n);
  }

  string(slot) {
    const b = this.bytes(slot);
    return b === null ? null : b.toString("utf8");
  }
}

// ManifestV1 slots.
const M = { writerEpoch: 3, compactorEpoch: 4, replayAfterWalId: 5, walIdLastSeen: 6, l0: 8, compacted: 9,
  lastL0ClockTick: 10, checkpoints: 11, lastL0Seq: 12 };
// Checkpoint slots.
const C = { id: 0, manifestId: 1, expireTimeS: 2, createTimeS: 3 };

function uuidString(t) {
  const hi = t.u64(0).toString(16).padStart(16, "0");
  const lo = t.u64(1).toString(16).padStart(16, "0");
  const h = hi + lo;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function ulidString(t) {
  let v = (t.u64(0) << 64n) | t.u64(1);
  let s = "";
  for (let i = 0; i < 26; i++) {
    s = CROCKFORD[Number(v & 31n)] + s;
    v >>= 5n;
  }
  return s;
}

/** Decodes the parts of a manifest object (2-byte version + FlatBuffer) that the harness needs. */
export function summarizeManifest(bytes) {
  const buf = Buffer.from(bytes);
  const version = buf.readUInt16BE(0);
  if (version !== 1) {
    throw new Error(`manifest format version ${version} is not read by this harness`);
  }
  const fb = buf.subarray(2);
  const root = new Table(fb, fb.readUInt32LE(0));
  return {
    formatVersion: version,
    writerEpoch: root.u64(M.writerEpoch),
    compactorEpoch: root.u64(M.compactorEpoch),
    replayAfterWalId: root.u64(M.replayAfterWalId),
    walIdLastSeen: root.u64(M.walIdLastSeen),
    lastL0Seq: root.u64(M.lastL0Seq),
    lastL0ClockTick: root.i64(M.lastL0ClockTick),
    l0: root.tables(M.l0).map((sst) => ulidString(sst.table(0))),
    compacted: root.tables(M.compacted).map((run) => ({
      id: run.u32(0),
      ssts: run.tables(1).map((sst) => ulidString(sst.table(0))),
    })),
    checkpoints: root.tables(M.checkpoints).map((cp) => ({
      id: uuidString(cp.table(C.id)),
      manifestId: cp.u64(C.manifestId),
      expireTimeS: cp.u32(C.expireTimeS),
      createTimeS: cp.u32(C.createTimeS),
    })),
  };
}

/** Ids of the manifest objects of a database in a local directory store, ascending. */
export function manifestIds(storeDir, dbPath) {
  let names;
  try {
    names = readdirSync(join(storeDir, dbPath, "manifest"));
  } catch (e) {
    if (e.code === "ENOENT") {
      return [];
    }
    throw e;
  }
  return names
    .filter((n) => /^\d{20}\.manifest$/.test(n))
    .map((n) => BigInt(n.slice(0, 20)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The latest manifest of a database in a local directory store, summarized, with its id; null if none. */
export function latestManifest(storeDir, dbPath) {
  const ids = manifestIds(storeDir, dbPath);
  if (ids.length === 0) {
    return null;
  }
  const id = ids[ids.length - 1];
  const name = id.toString().padStart(20, "0") + ".manifest";
  return { id, ...summarizeManifest(readFileSync(join(storeDir, dbPath, "manifest", name))) };
}

/** The local directory behind a "file:///abs/dir" store URL (the harness only inspects local stores). */
export function storeDirOf(url) {
  const u = new URL(url);
  if (u.protocol !== "file:") {
    throw new Error(`this operation needs a file:/// store, got ${url}`);
  }
  return decodeURIComponent(u.pathname);
}
