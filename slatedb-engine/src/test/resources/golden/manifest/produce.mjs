// Produces the databases the golden manifests were copied from (see README.md). Run from a directory
// holding @slatedb/uniffi@0.12.1: node produce.mjs fresh|l0|compacted|checkpoint|walstore|filtered
import * as s from "@slatedb/uniffi";
import fs from "node:fs";
const root = "/tmp/manifest-probe/data";
const enc = (x) => new TextEncoder().encode(x);
const sleep = (ms) => new Promise(r => setTimeout(r, ms));
const store = s.ObjectStore.resolve("file://" + root);
function settings(extra) {
  const st = s.Settings.default();
  st.set("compactor_options.poll_interval", "\"100ms\"");
  st.set("flush_interval", "\"100ms\"");
  for (const [k, v] of Object.entries(extra || {})) st.set(k, v);
  return st;
}
async function open(path, extra, walStore) {
  const b = new s.DbBuilder(path, store);
  b.with_settings(settings(extra));
  b.with_seed(42);
  if (walStore) b.with_wal_object_store(walStore);
  return await b.build();
}
const which = process.argv[2];
const MT = { flush_type: "MemTable" };
if (which === "fresh") {
  const db = await open("fresh"); await db.shutdown();
} else if (which === "l0") {
  const db = await open("l0", {"compactor_options": "null"});
  await db.put(enc("apple"), enc("1")); await db.put(enc("banana"), enc("2"));
  await db.flush_with_options(MT);
  await db.put(enc("cherry"), enc("3"));
  await db.flush_with_options(MT);
  await db.shutdown();
  const db2 = await open("l0", {"compactor_options": "null"}); await db2.shutdown();
} else if (which === "compacted") {
  const db = await open("compacted", {"compression_codec": "\"Lz4\"", "compactor_options.scheduler_options": "{\"min_compaction_sources\":\"2\",\"max_compaction_sources\":\"8\"}"});
  for (let i = 0; i < 4; i++) {
    await db.put(enc("key" + i), enc("value" + i));
    await db.flush_with_options(MT);
  }
  // wait for the compactor to publish a sorted run
  await sleep(4000);
  await db.put(enc("key9"), enc("after"));
  await db.flush_with_options(MT);
  await db.shutdown();
} else if (which === "checkpoint") {
  const db = await open("checkpoint", {"compactor_options": "null"});
  await db.put(enc("k"), enc("v")); await db.flush_with_options(MT);
  const rb = new s.DbReaderBuilder("checkpoint", store);
  rb.with_options({manifest_poll_interval_ms: 60000, checkpoint_lifetime_ms: 3600000, max_memtable_bytes: 1 << 20, skip_wal_replay: false});
  const r = await rb.build();
  await db.put(enc("k2"), enc("v2")); await db.flush_with_options(MT);
  await db.shutdown();
  await r.shutdown();
} else if (which === "walstore") {
  const ws = s.ObjectStore.resolve("file:///tmp/manifest-probe/waldata");
  const db = await open("walstore", {"compactor_options": "null"}, ws);
  await db.put(enc("w"), enc("1")); await db.flush_with_options(MT);
  await db.shutdown();
}
console.log("done", which);
if (which === "filtered") {
  const db = await open("filtered", {"compactor_options": "null", "min_filter_keys": "1", "compression_codec": "\"Zstd\""});
  for (let i = 0; i < 20; i++) await db.put(enc("k" + String(i).padStart(2, "0")), enc("v".repeat(i)));
  await db.flush_with_options(MT);
  await db.shutdown();
}
