// Runs one `slatedb bench` workload on the Rust SlateDB (0.12.1, through its Node binding) and prints
// the result as one JSON object on stdout: {"ok": true, "result": {...}} or {"ok": false, "error": "..."}.
// The job is the JSON object given as argv[2]:
//   {"store": "file:///abs/dir", "path": "db", "workload": "fillrandom", "num": 1000, "keySize": 16,
//    "valueSize": 100, "threads": 1, "durable": false, "readAhead": 1, "fetchTasks": 1, "seed": 7,
//    "from": "memtable" | "cache" | "store", "settings": {"flush_interval": "100ms", ...}}
// The workloads, keys (decimal, zero-padded) and arrangements mirror the Java side (BenchRunner and
// SlateDbBenchEngine), so that the two engines do the same work.
import * as slatedb from "@slatedb/uniffi";
import { randomFillSync } from "node:crypto";

const job = JSON.parse(process.argv[2]);
const num = job.num;

function key(index) {
  return Buffer.from(String(index).padStart(job.keySize, "0"), "ascii");
}

function value() {
  return randomFillSync(Buffer.allocUnsafe(job.valueSize));
}

// splitmix64 over BigInt is slow; a 32-bit xorshift is plenty for picking key indexes.
function randomSource(seed) {
  let state = (Number(BigInt.asUintN(32, BigInt(seed))) ^ 0x9e3779b9) >>> 0 || 1;
  return (bound) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return Math.floor((state / 0x100000000) * bound);
  };
}

function settingsFor(memtableHoldsAll) {
  const settings = slatedb.Settings.default();
  const entries = { ...(job.settings ?? {}) };
  if (memtableHoldsAll) {
    const l0 = 2 * num * (job.keySize + job.valueSize) + 64 * 1024 * 1024;
    entries.l0_sst_size_bytes ??= l0;
    entries.max_unflushed_bytes ??= Math.max(2 * l0, 1024 * 1024 * 1024);
  }
  for (const [name, v] of Object.entries(entries)) {
    settings.set(name, JSON.stringify(v));
  }
  return settings;
}

async function open(store, memtableHoldsAll, cacheDisabled) {
  const builder = new slatedb.DbBuilder(job.path, store);
  try {
    builder.with_settings(settingsFor(memtableHoldsAll));
    if (cacheDisabled) {
      builder.with_db_cache_disabled();
    }
    return await builder.build();
  } finally {
    builder.dispose?.();
  }
}

const putOptions = { ttl: slatedb.Ttl.Default() };

function percentiles(latencies, count) {
  const sorted = latencies.subarray(0, count).sort();
  const at = (p) => (count === 0 ? 0 : sorted[Math.min(count - 1, Math.ceil((p / 100) * count) - 1)] / 1e3);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += sorted[i];
  }
  return { mean: count === 0 ? 0 : sum / count / 1e3, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9),
    max: count === 0 ? 0 : sorted[count - 1] / 1e3 };
}

/** Runs `total` operations on `threads` concurrent loops; returns the elapsed ns and latencies. */
async function timed(threads, total, operation) {
  const latencies = new Float64Array(total);
  let next = 0;
  const start = process.hrtime.bigint();
  const loops = [];
  for (let t = 0; t < threads; t++) {
    const random = randomSource(job.seed + 31 * t);
    loops.push((async () => {
      for (;;) {
        const i = next++;
        if (i >= total) {
          return;
        }
        const begin = process.hrtime.bigint();
        await operation(random, i);
        latencies[i] = Number(process.hrtime.bigint() - begin);
      }
    })());
  }
  await Promise.all(loops);
  return { elapsedNs: Number(process.hrtime.bigint() - start), latency: percentiles(latencies, total) };
}

async function load(db) {
  for (let i = 0; i < num; i++) {
    await db.put_with_options(key(i), value(), putOptions, { await_durable: false });
  }
  await db.flush_with_options({ flush_type: slatedb.FlushType.Wal });
}

/** Flushes and reopens as `from` says; returns the database to read. */
async function arrange(store, db) {
  if (job.from === "memtable") {
    return db;
  }
  await db.flush_with_options({ flush_type: slatedb.FlushType.MemTable });
  await db.shutdown();
  const reopened = await open(store, false, job.from === "store");
  if (job.from === "cache") {
    await scanAll(reopened, true, () => {});
  }
  return reopened;
}

async function scanAll(db, cacheBlocks, onRow) {
  const iterator = await db.scan_with_options({ start: undefined, start_inclusive: true, end: undefined,
    end_inclusive: false }, { durability_filter: slatedb.DurabilityLevel.Memory, dirty: false,
    read_ahead_bytes: job.readAhead, cache_blocks: cacheBlocks, max_fetch_tasks: job.fetchTasks,
    order: undefined });
  try {
    for (;;) {
      const kv = await iterator.next();
      if (kv === undefined) {
        return;
      }
      onRow(kv.key.length + kv.value.length);
    }
  } finally {
    iterator.dispose?.();
  }
}

async function readRandom(db, stopWriter) {
  let found = 0;
  const run = await timed(job.threads, num, async (random) => {
    if ((await db.get(key(random(num)))) !== undefined) {
      found++;
    }
  });
  stopWriter?.();
  return { ops: num, bytes: found * (job.keySize + job.valueSize), ...run, details: { found } };
}

async function main() {
  const store = slatedb.ObjectStore.resolve(job.store);
  const readsFromMemtable = !["fillrandom", "fillseq"].includes(job.workload) && job.from === "memtable";
  let db = await open(store, readsFromMemtable, false);
  let result;
  const rowBytes = job.keySize + job.valueSize;
  const writeOptions = { await_durable: job.durable };
  switch (job.workload) {
    case "fillrandom":
    case "fillseq": {
      const sequential = job.workload === "fillseq";
      let nextKey = 0;
      const run = await timed(job.threads, num, (random) =>
        db.put_with_options(key(sequential ? nextKey++ : random(num)), value(), putOptions, writeOptions));
      await db.flush_with_options({ flush_type: slatedb.FlushType.Wal });
      result = { ops: num, bytes: num * rowBytes, ...run, details: {} };
      break;
    }
    case "readrandom":
      await load(db);
      db = await arrange(store, db);
      result = await readRandom(db);
      break;
    case "scan": {
      await load(db);
      db = await arrange(store, db);
      const latencies = new Float64Array(num + 1);
      let rows = 0;
      let bytes = 0;
      const start = process.hrtime.bigint();
      let last = start;
      await scanAll(db, false, (n) => {
        const now = process.hrtime.bigint();
        if (rows < latencies.length) {
          latencies[rows] = Number(now - last);
        }
        last = now;
        rows++;
        bytes += n;
      });
      const elapsedNs = Number(process.hrtime.bigint() - start);
      result = { ops: rows, bytes, elapsedNs, latency: percentiles(latencies, Math.min(rows, latencies.length)),
        details: { rows } };
      break;
    }
    case "readwhilewriting": {
      await load(db);
      db = await arrange(store, db);
      let stopped = false;
      let writes = 0;
      const random = randomSource(job.seed ^ 0x5bd1e995);
      const writer = (async () => {
        while (!stopped) {
          await db.put_with_options(key(random(num)), value(), putOptions, writeOptions);
          writes++;
        }
      })();
      result = await readRandom(db, () => { stopped = true; });
      await writer;
      result.details.writes = writes;
      break;
    }
    default:
      throw new Error(`unknown workload ${job.workload}`);
  }
  await db.shutdown();
  return result;
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify({ ok: true, result }) + "\n");
    process.exit(0);
  },
  (e) => {
    process.stdout.write(JSON.stringify({ ok: false, error: String(e?.message ?? e) }) + "\n");
    process.exit(1);
  },
);
