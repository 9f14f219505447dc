// Writes small SlateDB 0.12.1 databases whose SSTs serve as golden files for the Java SST reader.
// Usage: node golden.mjs <dir> <name> <codec|none> <blockSize> <minFilterKeys> <rows> <versions>
import { ObjectStore, DbBuilder, Settings, Ttl, FlushType, SstBlockSize } from "@slatedb/uniffi";
const [dir, name, codec, blockSize, minFilterKeys, rowsArg, versionsArg] = process.argv.slice(2);
const store = ObjectStore.resolve("file://" + dir);
const s = Settings.default();
s.set("flush_interval", "null");
s.set("min_filter_keys", minFilterKeys);
if (codec !== "none") s.set("compression_codec", JSON.stringify(codec));
const b = new DbBuilder(name, store);
b.with_settings(s);
b.with_sst_block_size(SstBlockSize[blockSize]);
b.with_merge_operator({ merge(key, existing, operand) {
  const e = existing || new Uint8Array(0); const r = new Uint8Array(e.length + operand.length);
  r.set(e); r.set(operand, e.length); return r; } });
const db = await b.build();
const enc = new TextEncoder();
const wo = { await_durable: false };
const noTtl = { ttl: Ttl.NoExpiry() };
const rows = parseInt(rowsArg), versions = parseInt(versionsArg);
// Row i: key "key-<i padded>-<tail>", value depends on i; every 7th row has a TTL, every 11th is
// deleted, every 13th is a merge operand, every 17th has an empty value.
for (let i = 0; i < rows; i++) {
  const key = enc.encode("key-" + String(i).padStart(4, "0") + "-" + "t".repeat(i % 5));
  if (i % 11 === 5) { await db.delete_with_options(key, wo); continue; }
  if (i % 13 === 6) { await db.merge_with_options(key, enc.encode("op" + i), noTtl, wo); continue; }
  const value = i % 17 === 3 ? new Uint8Array(0) : enc.encode(("v" + i + ":").repeat(1 + (i % 9)));
  const opts = i % 7 === 2 ? { ttl: Ttl.ExpireAfterTicks(86400000) } : noTtl;
  await db.put_with_options(key, value, opts, wo);
}
// Several versions of one key, kept by open snapshots so the memtable flush keeps them all.
const snaps = [];
for (let v = 0; v < versions; v++) {
  await db.put_with_options(enc.encode("key-hot"), enc.encode(("version" + v + ";").repeat(30)), noTtl, wo);
  snaps.push(await db.snapshot());
}
await db.flush_with_options({ flush_type: FlushType.Wal });
await db.flush_with_options({ flush_type: FlushType.MemTable });
await db.shutdown();
