// generate-golden: writes the golden databases under
// slatedb-engine/src/test/resources/golden/rust-0.12.1/ with the real SlateDB 0.12.1, and next to each a
// JSON description of exactly what was written and what SlateDB reads back. The Java golden tests decode
// these files without Node; regenerate them only on purpose (the ULIDs, UUIDs and timestamps change every
// time, so the descriptions change with them).
//
//   cd slatedb-engine/src/test/node && npm ci --ignore-scripts && node generate-golden.mjs [outDir]
//
// Each database is produced by running this directory's own scripts (write-db, read-db, wal-dump, admin)
// as child processes, exactly as the Java harness does. See README.md, "Golden fixtures", for the contents.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { patternBytes } from "./lib/common.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, "..", "resources", "golden", "rust-0.12.1"));
const JOB_TIMEOUT_MS = 60_000;

/** Runs one harness script with a job; returns its result or throws with its error. */
function run(script, job) {
  const stdout = execFileSync(process.execPath, [join(here, script)], {
    input: JSON.stringify({ timeoutMs: JOB_TIMEOUT_MS, logLevel: "Warn", ...job }),
    timeout: JOB_TIMEOUT_MS + 15_000,
    stdio: ["pipe", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  const answer = JSON.parse(stdout.toString("utf8"));
  if (!answer.ok) {
    throw new Error(`${script} failed: ${JSON.stringify(answer.error)}`);
  }
  return answer.result;
}

const utf8 = (s) => Buffer.from(s, "utf8").toString("hex");
const put = (key, value, extra = {}) => ({ op: "put", key: utf8(key), value: utf8(value), ...extra });
const putPattern = (key, len, seed, extra = {}) => ({ op: "put", key: utf8(key), valuePattern: { len, seed }, ...extra });
const del = (key) => ({ op: "delete", key: utf8(key) });
const merge = (key, value) => ({ op: "merge", key: utf8(key), value: utf8(value) });

/**
 * The operations every codec database receives: three WAL flushes, overwrites, deletes (also of a key that
 * never existed), an empty value, TTL puts, a write batch, values of 1.5-3 KB (several 1 KiB blocks), one
 * memtable flush to an L0 SST, then writes that exist only in the WAL, and a final clean shutdown (which
 * flushes the WAL but, in 0.12.1, not the memtable).
 */
function basicOps() {
  return [
    put("k01", "v1"),
    putPattern("k02", 1500, 1),
    put("k03", ""),
    put("k04", "expires-in-an-hour", { ttl: { expireAfterMs: 3_600_000 } }),
    { op: "flushWal" },
    put("k01", "v1-overwritten"),
    del("k02"),
    del("k00-never-written"),
    { op: "batch", ops: [putPattern("k05", 3000, 5), put("k06", "six"), del("k03")] },
    { op: "flushWal" },
    { op: "flushMemtable" },
    putPattern("k07", 2500, 7),
    put("k01", "v1-third", { ttl: "noExpiry" }),
    put("k08", "expired-long-ago", { ttl: { expireAtMs: 1_000 } }),
    del("k06"),
    { op: "flushWal" },
    put("k09", "written-last"),
  ];
}

/** Settings shared by the fixtures: explicit flushes only, a filter on every SST, no background GC. */
const BASE_SETTINGS = {
  flush_interval: null,
  min_filter_keys: 2,
  garbage_collector_options: null,
};

const DATABASES = [
  ...[null, "Snappy", "Zlib", "Lz4", "Zstd"].map((codec) => ({
    name: `codec-${(codec ?? "none").toLowerCase()}`,
    covers: `compression ${codec ?? "none"}; WAL flushes, overwrites, deletes, empty value, TTLs, a batch, `
      + "multi-block SSTs with a bloom filter, one L0 SST, WAL-only tail",
    job: {
      settings: { ...BASE_SETTINGS, ...(codec ? { compression_codec: codec } : {}) },
      sstBlockSize: "Block1Kib",
      ops: basicOps(),
    },
  })),
  {
    name: "compacted",
    covers: "two sorted runs (ids 1 and 0) made by the embedded compactor, an L0 left on top, "
      + "l0_last_compacted, compactor and reader checkpoints with expiry times, a second writer epoch",
    job: {
      settings: {
        ...BASE_SETTINGS,
        "compactor_options.poll_interval": "20ms",
        // Compact every 2 L0 SSTs into a new sorted run, and never merge sorted runs with each other.
        "compactor_options.scheduler_options": {
          min_compaction_sources: "2", max_compaction_sources: "2", include_size_threshold: "0.01",
        },
      },
      sstBlockSize: "Block1Kib",
      ops: [
        ...round(0), { op: "flushMemtable" }, ...round(1), { op: "flushMemtable" },
        { op: "awaitCompaction", minSortedRuns: 1, maxL0: 0, timeoutMs: 20_000 },
        { op: "checkpoint", lifetimeMs: 7_200_000 },
        ...round(2), { op: "flushMemtable" }, ...round(3), { op: "flushMemtable" },
        { op: "awaitCompaction", minSortedRuns: 2, maxL0: 0, timeoutMs: 20_000 },
        { op: "reopen" },
        ...round(4), { op: "flushMemtable" },
        put("zz-wal-only", "tail"),
      ],
    },
  },
  {
    name: "merge",
    covers: "merge operands (concat operator) in the WAL and in an L0 SST, merged with puts and deletes",
    job: {
      settings: { ...BASE_SETTINGS },
      mergeOperator: "concat",
      ops: [
        put("m1", "base-"),
        merge("m1", "a"),
        merge("m2", "x"),
        { op: "flushWal" },
        { op: "batch", ops: [merge("m1", "b"), merge("m3", "only-operand")] },
        del("m2"),
        merge("m2", "y"),
        { op: "flushMemtable" },
        merge("m1", "c"),
      ],
    },
  },
  {
    name: "wal-store",
    covers: "a separate WAL object store: wal/ lives under wal-store/, the manifest carries "
      + "wal_object_store_uri",
    walStore: true,
    job: {
      settings: { ...BASE_SETTINGS },
      ops: [put("w1", "one"), { op: "flushWal" }, put("w2", "two"), { op: "flushMemtable" }, put("w3", "three")],
    },
  },
];

/** One round of the compacted database: six keys rewritten, one deleted, one WAL flush. */
function round(r) {
  const ops = [];
  for (let i = 0; i < 6; i++) {
    const key = `key${String(i).padStart(3, "0")}`;
    ops.push(putPattern(key, 200 + 100 * i, r * 7 + i, i % 3 === 0 ? { ttl: { expireAfterMs: 86_400_000 } } : {}));
  }
  ops.push(del(`key${String((r + 1) % 6).padStart(3, "0")}`));
  ops.push({ op: "flushWal" });
  return ops;
}

/** Replaces a generated value by its rule, so that descriptions stay small. */
function compactValues(rows, ops) {
  const patterns = new Map();
  const collect = (op) => {
    if (op.valuePattern) {
      patterns.set(patternBytes(op.valuePattern.len, op.valuePattern.seed).toString("hex"), op.valuePattern);
    }
    (op.ops ?? []).forEach(collect);
  };
  ops.forEach(collect);
  return rows.map((row) => {
    const rule = row.value !== null ? patterns.get(row.value) : undefined;
    if (rule === undefined) {
      return row;
    }
    const { value: _value, ...rest } = row;
    return { ...rest, valuePattern: rule };
  });
}

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        walk(p);
      } else {
        out.push({ path: relative(dir, p), sizeBytes: statSync(p).size });
      }
    }
  };
  walk(dir);
  return out;
}

function generate(spec, work) {
  const root = join(work, spec.name);
  const storeDir = join(root, "store");
  const walDir = join(root, "wal-store");
  mkdirSync(storeDir, { recursive: true });
  const common = {
    store: pathToFileURL(storeDir).href,
    path: "db",
    ...(spec.walStore ? { walStore: pathToFileURL(walDir).href } : {}),
    ...(spec.job.mergeOperator ? { mergeOperator: spec.job.mergeOperator } : {}),
  };
  const written = run("write-db.mjs", { ...common, ...spec.job });
  const read = run("read-db.mjs", { ...common, mode: "reader" });
  const wal = run("wal-dump.mjs", common);
  // The reader above created and deleted its own checkpoint: two more manifests. Describe the final state.
  const manifest = run("admin.mjs", { ...common, command: "read-manifest" });
  const ops = spec.job.ops.map((op, i) => ({ ...op, result: written.ops[i] }));
  return {
    name: spec.name,
    covers: spec.covers,
    generator: "slatedb-engine/src/test/node/generate-golden.mjs",
    binding: `@slatedb/uniffi ${run("probe.mjs", {}).bindingVersion}`,
    generatedAt: new Date().toISOString(),
    store: "store",
    walStore: spec.walStore ? "wal-store" : null,
    path: "db",
    settings: spec.job.settings,
    sstBlockSize: spec.job.sstBlockSize ?? "Block4Kib",
    mergeOperator: spec.job.mergeOperator ?? null,
    ops,
    durableSeqAtClose: written.durableSeq,
    expected: {
      // What SlateDB's DbReader returns for a full scan once the writer has shut down.
      entries: compactValues(read.entries, spec.job.ops),
      // Every WAL file with its raw rows, as SlateDB's WalReader returns them.
      wal: wal.files.map((f) => ({ ...f, rows: compactValues(f.rows, spec.job.ops) })),
      // The latest manifest, summarized by lib/manifest-lite.mjs.
      latestManifest: manifest,
    },
    files: listFiles(root),
  };
}

const work = mkdtempSync(join(tmpdir(), "slatedb-golden-"));
try {
  const index = [];
  const descriptions = [];
  for (const spec of DATABASES) {
    process.stderr.write(`generating ${spec.name}\n`);
    descriptions.push(generate(spec, work));
    index.push({ name: spec.name, covers: spec.covers });
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const d of descriptions) {
    cpSync(join(work, d.name), join(outDir, d.name), { recursive: true });
    writeFileSync(join(outDir, `${d.name}.json`), JSON.stringify(d, null, 1) + "\n");
  }
  writeFileSync(join(outDir, "index.json"), JSON.stringify({ databases: index }, null, 1) + "\n");
  process.stderr.write(`wrote ${descriptions.length} databases to ${outDir}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
