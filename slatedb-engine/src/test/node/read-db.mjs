// read-db: reads a whole database with the real SlateDB and dumps it: every visible key with its value and
// row metadata (seq, create_ts, expire_ts) from a full scan, plus optional point reads.
//
// Job:
//   {
//     "store": "file:///abs/dir", "path": "db",
//     "mode": "reader" | "checkpoint" | "db",   default reader
//        reader:     DbReaderBuilder, managed checkpoint (created on open, deleted on shutdown)
//        checkpoint: DbReaderBuilder.with_checkpoint_id(job.checkpointId): exactly that checkpoint's state
//        db:         DbBuilder: a writer (it fences the previous writer and replays the WAL)
//     "checkpointId": "uuid",                    checkpoint mode only
//     "skipWalReplay": false,                    reader/checkpoint modes: ReaderOptions.skip_wal_replay
//     "settings": {...},                         db mode: as in write-db
//     "walStore": "file:///abs/waldir",          the database's separate WAL store, if it has one
//     "mergeOperator": "concat",                 needed to read merge rows
//     "range": {"start": hex, "startInclusive": true, "end": hex, "endInclusive": false},   default: all
//     "descending": false,                       scan order
//     "gets": [hex, ...],                        point reads (db mode: get_key_value, otherwise get)
//     "timeoutMs": 60000
//   }
// Result: {"entries": [{"key", "value", "seq", "createTs", "expireTs"}], "gets": [{"key", "value", ...}],
//          "status": {"durableSeq", "closeReason"}}. Bytes are hex; an absent point read has "value": null.
import {
  buildSettings, configureBuilder, drain, fromHex, hex, keyRangeOf, keyValueJson, openStore, runJob, slatedb,
  toJsonInteger,
} from "./lib/common.mjs";

async function openReader(job, store) {
  const builder = new slatedb.DbReaderBuilder(job.path, store);
  try {
    builder.with_options({
      manifest_poll_interval_ms: 10_000n,
      checkpoint_lifetime_ms: 600_000n,
      max_memtable_bytes: 64n * 1024n * 1024n,
      skip_wal_replay: job.skipWalReplay ?? false,
    });
    if (job.mode === "checkpoint") {
      if (typeof job.checkpointId !== "string") {
        throw new Error("checkpoint mode needs job.checkpointId");
      }
      builder.with_checkpoint_id(job.checkpointId);
    }
    configureBuilder(builder, job);
    return await builder.build();
  } finally {
    builder.dispose();
  }
}

async function openWriter(job, store) {
  const builder = new slatedb.DbBuilder(job.path, store);
  try {
    builder.with_settings(buildSettings(job.settings));
    configureBuilder(builder, job);
    return await builder.build();
  } finally {
    builder.dispose();
  }
}

runJob(async (job) => {
  const store = openStore(job.store);
  const mode = job.mode ?? "reader";
  if (!["reader", "checkpoint", "db"].includes(mode)) {
    throw new Error(`unknown mode ${JSON.stringify(mode)}`);
  }
  const handle = mode === "db" ? await openWriter(job, store) : await openReader(job, store);
  try {
    const scanOptions = {
      durability_filter: slatedb.DurabilityLevel.Memory,
      dirty: false,
      read_ahead_bytes: 1n,
      cache_blocks: false,
      max_fetch_tasks: 1n,
      order: job.descending ? slatedb.IterationOrder.Descending : slatedb.IterationOrder.Ascending,
    };
    const entries = await drain(await handle.scan_with_options(keyRangeOf(job.range), scanOptions));
    const gets = [];
    for (const keyHex of job.gets ?? []) {
      const key = fromHex(keyHex, "gets[]");
      if (mode === "db") {
        gets.push(keyValueJson(await handle.get_key_value(key)) ?? { key: keyHex, value: null });
      } else {
        gets.push({ key: keyHex, value: hex(await handle.get(key)) });
      }
    }
    const status = handle.status();
    return {
      entries,
      gets,
      status: { durableSeq: toJsonInteger(status.durable_seq), closeReason: status.close_reason ?? null },
    };
  } finally {
    await handle.shutdown();
    handle.dispose();
  }
});
