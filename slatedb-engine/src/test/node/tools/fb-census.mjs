// fb-census: a schema check for SlateDB's FlatBuffers, run by hand against databases the Rust SlateDB wrote
// (see ../README.md, "Schema verification"). It walks every manifest and SST of a database in a local
// directory, reading each table through its vtable, and reports per table type which slots the Rust
// writer actually filled, how wide each inline field is, and every slot our schema
// (slatedb-engine/src/main/fbs) does not know. A slot mismatch shows up as an unknown slot, as an inline
// field narrower than the type our schema gives it, or as implausible values in the flatc JSON dump.
//
//   node tools/fb-census.mjs /abs/store/dir db
//
// Index and stats blocks are only walked in SSTs without compression (Node has no snappy, lz4 or zstd) or
// with zlib; SsTableInfo is never compressed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";

// Our schema, slot by slot: [name, kind]; kind is a scalar width ("u8", "u16", "u32", "u64"), "bytes",
// "string", a table type name, or ["vec", tableType]. A union takes two slots (type, value).
const SCHEMA = {
  ManifestV1: [["manifest_id", "u64"], ["external_dbs", ["vec", "ExternalDb"]], ["initialized", "u8"],
    ["writer_epoch", "u64"], ["compactor_epoch", "u64"], ["replay_after_wal_id", "u64"],
    ["wal_id_last_seen", "u64"], ["l0_last_compacted", "Ulid"], ["l0", ["vec", "CompactedSsTable"]],
    ["compacted", ["vec", "SortedRun"]], ["last_l0_clock_tick", "u64"], ["checkpoints", ["vec", "Checkpoint"]],
    ["last_l0_seq", "u64"], ["wal_object_store_uri", "string"], ["recent_snapshot_min_seq", "u64"],
    ["sequence_tracker", "bytes"]],
  ExternalDb: [["path", "string"], ["source_checkpoint_id", "Uuid"], ["final_checkpoint_id", "Uuid"],
    ["sst_ids", ["vec", "Ulid"]]],
  Ulid: [["high", "u64"], ["low", "u64"]],
  Uuid: [["high", "u64"], ["low", "u64"]],
  CompactedSsTable: [["id", "Ulid"], ["info", "SsTableInfo"], ["visible_range", "BytesRange"],
    ["format_version", "u16"]],
  BytesRange: [["start_bound", "BytesBound"], ["end_bound", "BytesBound"]],
  BytesBound: [["key", "bytes"], ["bound_type", "u8"]],
  SortedRun: [["id", "u32"], ["ssts", ["vec", "CompactedSsTable"]]],
  Checkpoint: [["id", "Uuid"], ["manifest_id", "u64"], ["checkpoint_expire_time_s", "u32"],
    ["checkpoint_create_time_s", "u32"], ["metadata_type", "u8"], ["metadata", "WriterCheckpoint"],
    ["name", "string"]],
  WriterCheckpoint: [["epoch", "u64"]],
  SsTableInfo: [["first_entry", "bytes"], ["index_offset", "u64"], ["index_len", "u64"],
    ["filter_offset", "u64"], ["filter_len", "u64"], ["compression_format", "u8"], ["sst_type", "u8"],
    ["last_entry", "bytes"], ["stats_offset", "u64"], ["stats_len", "u64"], ["filter_format", "u8"]],
  SsTableIndex: [["block_meta", ["vec", "BlockMeta"]]],
  BlockMeta: [["offset", "u64"], ["first_key", "bytes"]],
  SstStats: [["num_puts", "u64"], ["num_deletes", "u64"], ["num_merges", "u64"], ["raw_key_size", "u64"],
    ["raw_val_size", "u64"], ["block_stats", ["vec", "BlockStats"]]],
  BlockStats: [["num_puts", "u16"], ["num_deletes", "u16"], ["num_merges", "u16"]],
};
const WIDTH = { u8: 1, u16: 2, u32: 4, u64: 8 };

const census = {}; // type -> {objects, maxSlots, present: Map slot -> count, problems: []}

function entry(type) {
  census[type] ??= { objects: 0, maxSlots: 0, present: new Map(), problems: [] };
  return census[type];
}

function walk(buf, pos, type, where) {
  const schema = SCHEMA[type];
  const e = entry(type);
  e.objects++;
  const vtable = pos - buf.readInt32LE(pos);
  const vtSize = buf.readUInt16LE(vtable);
  const tableSize = buf.readUInt16LE(vtable + 2);
  const slots = (vtSize - 4) / 2;
  e.maxSlots = Math.max(e.maxSlots, slots);
  const offsets = [];
  for (let s = 0; s < slots; s++) {
    const o = buf.readUInt16LE(vtable + 4 + 2 * s);
    if (o !== 0) {
      offsets.push([o, s]);
    }
  }
  offsets.sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < offsets.length; i++) {
    const [o, s] = offsets[i];
    e.present.set(s, (e.present.get(s) ?? 0) + 1);
    if (s >= schema.length) {
      e.problems.push(`${where}: slot ${s} is not in our schema (our ${type} has ${schema.length} slots)`);
      continue;
    }
    const [name, kind] = schema[s];
    const room = (i + 1 < offsets.length ? offsets[i + 1][0] : tableSize) - o;
    const width = typeof kind === "string" && WIDTH[kind] ? WIDTH[kind] : 4; // references are u32
    if (room < width) {
      e.problems.push(`${where}: ${type}.${name} (slot ${s}) has ${room} byte(s) inline, our type needs ${width}`);
    }
    if (typeof kind === "string" && WIDTH[kind]) {
      continue;
    }
    const at = pos + o;
    const target = at + buf.readUInt32LE(at);
    if (Array.isArray(kind)) {
      const n = buf.readUInt32LE(target);
      for (let j = 0; j < n; j++) {
        const el = target + 4 + 4 * j;
        walk(buf, el + buf.readUInt32LE(el), kind[1], `${where}.${name}[${j}]`);
      }
    } else if (SCHEMA[kind]) {
      walk(buf, target, kind, `${where}.${name}`);
    }
  }
}

function root(buf, type, where) {
  walk(buf, buf.readUInt32LE(0), type, where);
}

const [storeDir, dbPath] = process.argv.slice(2);
if (!storeDir || !dbPath) {
  console.error("usage: node tools/fb-census.mjs /abs/store/dir dbPath");
  process.exit(64);
}
const dbDir = join(storeDir, dbPath);
const list = (sub) => {
  try {
    return readdirSync(join(dbDir, sub)).sort().map((n) => join(sub, n));
  } catch {
    return [];
  }
};

for (const f of list("manifest")) {
  const bytes = readFileSync(join(dbDir, f));
  const version = bytes.readUInt16BE(0);
  if (version !== 1) {
    entry("ManifestV1").problems.push(`${f}: format version ${version}`);
    continue;
  }
  root(bytes.subarray(2), "ManifestV1", f);
}

const blockPayload = (bytes, offset, len, codec) => {
  const framed = bytes.subarray(offset, offset + len - 4); // the last 4 bytes are the block's CRC32
  if (codec === 0) {
    return framed;
  }
  if (codec === 2) {
    return inflateSync(framed);
  }
  return null;
};

for (const f of [...list("wal"), ...list("compacted")]) {
  const bytes = readFileSync(join(dbDir, f));
  if (bytes.length <= 10) {
    continue; // a 0-byte fence (0.13+); 0.12.1 writes an empty SST instead
  }
  const sstVersion = bytes.readUInt16BE(bytes.length - 2);
  const metaOffset = Number(bytes.readBigUInt64BE(bytes.length - 10));
  const info = bytes.subarray(metaOffset, bytes.length - 14);
  entry("footer").present.set(`v${sstVersion}`, (entry("footer").present.get(`v${sstVersion}`) ?? 0) + 1);
  root(info, "SsTableInfo", `${f}#info`);
  // Read the few SsTableInfo fields needed to find the blocks (slots 1, 2, 5, 8, 9).
  const infoRoot = info.readUInt32LE(0);
  const vt = infoRoot - info.readInt32LE(infoRoot);
  const vtSize = info.readUInt16LE(vt);
  const field = (slot, w) => {
    const v = 4 + 2 * slot;
    const o = v < vtSize ? info.readUInt16LE(vt + v) : 0;
    if (o === 0) {
      return 0;
    }
    return w === 8 ? Number(info.readBigUInt64LE(infoRoot + o)) : info.readUInt8(infoRoot + o);
  };
  const codec = field(5, 1);
  const index = blockPayload(bytes, field(1, 8), field(2, 8), codec);
  if (index !== null) {
    root(index, "SsTableIndex", `${f}#index`);
  }
  if (field(9, 8) > 0) {
    const stats = blockPayload(bytes, field(8, 8), field(9, 8), codec);
    if (stats !== null) {
      root(stats, "SstStats", `${f}#stats`);
    }
  }
}

const report = {};
for (const [type, e] of Object.entries(census)) {
  const schema = SCHEMA[type];
  report[type] = {
    objects: e.objects,
    maxVtableSlots: e.maxSlots,
    slotsFilled: Object.fromEntries([...e.present.entries()].sort((a, b) => (a[0] > b[0] ? 1 : -1))
      .map(([s, n]) => [schema && typeof s === "number" ? `${s}:${schema[s]?.[0] ?? "UNKNOWN"}` : s, n])),
    slotsNeverFilled: schema ? schema.map((f, i) => (e.present.has(i) ? null : `${i}:${f[0]}`)).filter(Boolean) : [],
    problems: e.problems.slice(0, 20),
  };
}
console.log(JSON.stringify(report, null, 1));
