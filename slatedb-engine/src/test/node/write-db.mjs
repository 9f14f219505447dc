// write-db: opens (or creates) a database with the real SlateDB, applies a list of operations, and reports
// the sequence number and create_ts SlateDB assigned to every write, so that tests know exactly what the
// files must contain.
//
// Job:
//   {
//     "store": "file:///abs/dir",          object store URL (the directory must exist)
//     "path": "db",                        database path inside the store
//     "settings": {"flush_interval": null, "compression_codec": "Zstd", ...},   dotted key -> JSON value
//     "sstBlockSize": "Block1Kib",         optional; DbBuilder.with_sst_block_size
//     "seed": 7,                           optional; DbBuilder.with_seed
//     "walStore": "file:///abs/waldir",    optional; DbBuilder.with_wal_object_store (WAL in another store)
//     "mergeOperator": "concat",           optional; needed by merge operations
//     "ops": [ ... ],                      see below
//     "finish": "shutdown" | "abandon",    default shutdown; abandon exits without closing (a crash)
//     "timeoutMs": 60000
//   }
// Operations (key: "key" hex or "keyUtf8"; value: "value" hex, "valueUtf8" or "valuePattern" {len, seed}):
//   {"op": "put", key, value, "ttl": "default" | "noExpiry" | {"expireAfterMs": n} | {"expireAtMs": t}}
//   {"op": "delete", key}
//   {"op": "merge", key, value, "ttl": ...}                          needs "mergeOperator"
//   {"op": "batch", "ops": [put/delete/merge without awaitDurable]}  one atomic write, one seq
//   {"op": "flushWal"}                                               Db.flush_with_options(Wal)
//   {"op": "flushMemtable"}                                          Db.flush_with_options(MemTable)
//   {"op": "get", key}                                               Db.get_key_value through the writer
//   {"op": "reopen"}                                                 shutdown, then build a new writer
//   {"op": "checkpoint", "lifetimeMs": n}                            see admin.mjs: a leaked reader checkpoint
//   {"op": "awaitCompaction", "minSortedRuns": n, "maxL0": m, "timeoutMs": t}
// Writes take "awaitDurable" (default false). SlateDB 0.12.1 defaults WriteOptions.await_durable to true,
// which blocks every write until the next WAL flush: with "flush_interval": null that flush never comes, so
// the harness does not wait unless asked to.
//
// Result: {"ops": [{"index", "op", "seq", "createTs", ...}], "durableSeq", "manifest": summary of the latest
// manifest (file stores only)}.
import { mkdirSync } from "node:fs";
import {
  buildSettings, configureBuilder, keyOf, keyValueJson, openStore, runJob, slatedb, toJsonInteger, ttlOf,
  valueOf,
} from "./lib/common.mjs";
import { latestManifest, storeDirOf } from "./lib/manifest-lite.mjs";
import { createLeakedCheckpoint } from "./lib/checkpoints.mjs";

async function openDb(job, store) {
  const builder = new slatedb.DbBuilder(job.path, store);
  try {
    builder.with_settings(buildSettings(job.settings));
    if (job.sstBlockSize) {
      builder.with_sst_block_size(job.sstBlockSize);
    }
    if (job.seed !== undefined) {
      builder.with_seed(BigInt(job.seed));
    }
    configureBuilder(builder, job);
    return await builder.build();
  } finally {
    builder.dispose();
  }
}

function writeOptions(op) {
  return { await_durable: op.awaitDurable ?? false };
}

function handleJson(index, op, handle) {
  return { index, op: op.op, seq: toJsonInteger(handle.seqnum), createTs: toJsonInteger(handle.create_ts) };
}

async function awaitCompaction(job, op) {
  const dir = storeDirOf(job.store);
  const deadline = Date.now() + (op.timeoutMs ?? 20_000);
  const minRuns = op.minSortedRuns ?? 1;
  const maxL0 = op.maxL0 ?? Number.MAX_SAFE_INTEGER;
  // The binding offers no way to wait for the embedded compactor, so poll the manifest objects; the
  // compactor polls every compactor_options.poll_interval, which the job should make short.
  for (;;) {
    const m = latestManifest(dir, job.path);
    if (m !== null && m.compacted.length >= minRuns && m.l0.length <= maxL0) {
      return m;
    }
    if (Date.now() > deadline) {
      throw new Error(`compaction did not reach ${minRuns} sorted run(s) and <= ${maxL0} L0 SST(s) in time; `
        + `latest manifest: ${JSON.stringify(m, (_k, v) => (typeof v === "bigint" ? v.toString() : v))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

runJob(async (job) => {
  for (const url of [job.store, job.walStore]) {
    if (typeof url === "string" && url.startsWith("file:")) {
      mkdirSync(storeDirOf(url), { recursive: true });
    }
  }
  const store = openStore(job.store);
  let db = await openDb(job, store);
  const results = [];
  const ops = job.ops ?? [];
  for (let index = 0; index < ops.length; index++) {
    const op = ops[index];
    switch (op.op) {
      case "put": {
        const handle = await db.put_with_options(keyOf(op), valueOf(op), { ttl: ttlOf(op.ttl) }, writeOptions(op));
        results.push(handleJson(index, op, handle));
        break;
      }
      case "merge": {
        const handle = await db.merge_with_options(keyOf(op), valueOf(op), { ttl: ttlOf(op.ttl) }, writeOptions(op));
        results.push(handleJson(index, op, handle));
        break;
      }
      case "delete": {
        results.push(handleJson(index, op, await db.delete_with_options(keyOf(op), writeOptions(op))));
        break;
      }
      case "batch": {
        const batch = new slatedb.WriteBatch();
        try {
          for (const inner of op.ops) {
            if (inner.op === "put") {
              batch.put_with_options(keyOf(inner), valueOf(inner), { ttl: ttlOf(inner.ttl) });
            } else if (inner.op === "delete") {
              batch.delete(keyOf(inner));
            } else if (inner.op === "merge") {
              batch.merge_with_options(keyOf(inner), valueOf(inner), { ttl: ttlOf(inner.ttl) });
            } else {
              throw new Error(`a batch holds put, delete and merge operations, not ${inner.op}`);
            }
          }
          results.push(handleJson(index, op, await db.write_with_options(batch, writeOptions(op))));
        } finally {
          batch.dispose();
        }
        break;
      }
      case "flushWal":
        await db.flush_with_options({ flush_type: slatedb.FlushType.Wal });
        results.push({ index, op: op.op });
        break;
      case "flushMemtable":
        await db.flush_with_options({ flush_type: slatedb.FlushType.MemTable });
        results.push({ index, op: op.op });
        break;
      case "get":
        results.push({ index, op: op.op, keyValue: keyValueJson(await db.get_key_value(keyOf(op))) });
        break;
      case "reopen":
        await db.shutdown();
        db.dispose();
        db = await openDb(job, store);
        results.push({ index, op: op.op });
        break;
      case "checkpoint":
        results.push({ index, op: op.op, ...(await createLeakedCheckpoint(job, store, op.lifetimeMs)) });
        break;
      case "awaitCompaction":
        results.push({ index, op: op.op, manifest: await awaitCompaction(job, op) });
        break;
      default:
        throw new Error(`unknown operation ${JSON.stringify(op.op)} at index ${index}`);
    }
  }
  const durableSeq = toJsonInteger(db.status().durable_seq);
  if ((job.finish ?? "shutdown") === "shutdown") {
    await db.shutdown();
    db.dispose();
  } else if (job.finish !== "abandon") {
    throw new Error(`finish must be "shutdown" or "abandon", got ${JSON.stringify(job.finish)}`);
  }
  const manifest = job.store.startsWith("file:") ? latestManifest(storeDirOf(job.store), job.path) : null;
  return { ops: results, durableSeq, manifest };
});
