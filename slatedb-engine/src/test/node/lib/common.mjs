// Shared plumbing of the harness scripts: job input, result output, time limit, and the conversions between
// the JSON job format (hex strings, plain numbers) and the binding's types (Uint8Array, bigint).
//
// Protocol (the Java side, io.slatedb.interop.RustSlateDb, relies on it):
//   * the job is one JSON object, read from standard input (or from argv[2]: JSON text, or @file);
//   * standard output receives exactly one JSON object: {"ok": true, "result": ...} or
//     {"ok": false, "error": {"tag", "message", "stack"}}; nothing else is ever printed there;
//   * everything diagnostic (SlateDB's own log, warnings) goes to standard error;
//   * the exit code is 0 on success, 1 on a failed job, 2 when the job's time limit ran out.
import { readFileSync } from "node:fs";
import * as slatedb from "@slatedb/uniffi";

export { slatedb };

/** Default time limit of a job; a job can lower or raise it with "timeoutMs". */
const DEFAULT_TIMEOUT_MS = 60_000;

let resultWritten = false;

function writeResult(object) {
  if (resultWritten) {
    return;
  }
  resultWritten = true;
  process.stdout.write(JSON.stringify(object, jsonReplacer) + "\n");
}

/** Reads the job: argv[2] (JSON text or @file) when given, standard input otherwise. */
export function readJob() {
  const arg = process.argv[2];
  let text;
  if (arg === undefined || arg === "-") {
    text = readFileSync(0, "utf8");
  } else if (arg.startsWith("@")) {
    text = readFileSync(arg.slice(1), "utf8");
  } else {
    text = arg;
  }
  return text.trim() === "" ? {} : JSON.parse(text);
}

/**
 * Runs {@code main(job)} under the job's time limit and writes its outcome as the single result line.
 *
 * The process exits explicitly: the binding keeps native background threads (SlateDB's runtime), and a
 * script whose handles were deliberately left open (abandoned writers, leaked reader checkpoints) would
 * otherwise never end. Exiting without closing is also how "crash" scenarios are produced.
 */
export function runJob(main) {
  let job;
  try {
    job = readJob();
  } catch (e) {
    writeResult({ ok: false, error: describeError(e) });
    process.exit(1);
  }
  const timeoutMs = job.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const watchdog = setTimeout(() => {
    writeResult({ ok: false, error: { tag: "Timeout", message: `job did not finish within ${timeoutMs} ms` } });
    process.exit(2);
  }, timeoutMs);
  if (job.logLevel) {
    slatedb.init_logging(job.logLevel, undefined);
  }
  Promise.resolve()
    .then(() => main(job))
    .then(
      (result) => {
        clearTimeout(watchdog);
        writeResult({ ok: true, result: result ?? null });
        process.exit(0);
      },
      (e) => {
        clearTimeout(watchdog);
        writeResult({ ok: false, error: describeError(e) });
        process.exit(1);
      },
    );
}

export function describeError(e) {
  if (e instanceof Error) {
    return { tag: e.tag ?? e.name, message: e.message, stack: e.stack };
  }
  return { tag: "Unknown", message: String(e) };
}

/** bigint values (the binding's u64/i64) become JSON numbers when exact, decimal strings otherwise. */
function jsonReplacer(_key, value) {
  if (typeof value === "bigint") {
    return toJsonInteger(value);
  }
  return value;
}

export function toJsonInteger(value) {
  if (value === undefined || value === null) {
    return null;
  }
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value).toString();
}

export function hex(bytes) {
  return bytes === undefined || bytes === null ? null : Buffer.from(bytes).toString("hex");
}

export function fromHex(text, what) {
  if (typeof text !== "string" || !/^([0-9a-fA-F]{2})*$/.test(text)) {
    throw new Error(`${what} must be a hex string, got ${JSON.stringify(text)}`);
  }
  return Buffer.from(text, "hex");
}

/**
 * The bytes of a generated value: {@code len} bytes cycling through 'a'..'z', starting at letter
 * {@code seed mod 26}. Compressible on purpose (so every codec really shrinks blocks) and readable in a hex
 * dump. The Java tests regenerate values with the same rule (see README.md, "Value patterns").
 */
export function patternBytes(len, seed) {
  if (!Number.isInteger(len) || len < 0 || !Number.isInteger(seed) || seed < 0) {
    throw new Error(`valuePattern needs non-negative integers len and seed, got ${len}, ${seed}`);
  }
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) {
    out[i] = 0x61 + ((seed + i) % 26);
  }
  return out;
}

/** The key of an operation: "key" (hex) or "keyUtf8". */
export function keyOf(op) {
  if (op.key !== undefined) {
    return fromHex(op.key, "key");
  }
  if (op.keyUtf8 !== undefined) {
    return Buffer.from(op.keyUtf8, "utf8");
  }
  throw new Error(`operation has no key: ${JSON.stringify(op)}`);
}

/** The value of a put: "value" (hex), "valueUtf8", or "valuePattern" {len, seed}. */
export function valueOf(op) {
  if (op.value !== undefined) {
    return fromHex(op.value, "value");
  }
  if (op.valueUtf8 !== undefined) {
    return Buffer.from(op.valueUtf8, "utf8");
  }
  if (op.valuePattern !== undefined) {
    return patternBytes(op.valuePattern.len, op.valuePattern.seed);
  }
  throw new Error(`put has no value: ${JSON.stringify(op)}`);
}

/**
 * The binding's Ttl for a put: absent or "default" -> Ttl.Default (the database's default_ttl),
 * "noExpiry" -> Ttl.NoExpiry, {"expireAfterMs": n} -> Ttl.ExpireAfterTicks(n) (one tick is one ms with the
 * default system clock), {"expireAtMs": t} -> Ttl.ExpireAt(t).
 */
export function ttlOf(ttl) {
  if (ttl === undefined || ttl === null || ttl === "default") {
    return slatedb.Ttl.Default();
  }
  if (ttl === "noExpiry") {
    return slatedb.Ttl.NoExpiry();
  }
  if (typeof ttl === "object" && ttl.expireAfterMs !== undefined) {
    return slatedb.Ttl.ExpireAfterTicks(BigInt(ttl.expireAfterMs));
  }
  if (typeof ttl === "object" && ttl.expireAtMs !== undefined) {
    return slatedb.Ttl.ExpireAt(BigInt(ttl.expireAtMs));
  }
  throw new Error(`unknown ttl ${JSON.stringify(ttl)}`);
}

/**
 * An object store for "file:///abs/dir" (objects are plain files under dir) or "memory:///" URLs.
 * A file store's directory must exist before the binding resolves it.
 */
export function openStore(url) {
  if (typeof url !== "string") {
    throw new Error("job.store (an object store URL such as file:///abs/dir) is required");
  }
  return slatedb.ObjectStore.resolve(url);
}

/**
 * Builds a Settings object: the defaults, then each entry of {@code overrides} (a dotted settings key
 * mapped to its JSON value) applied in order with Settings.set. Values are JSON, so a duration is a string
 * ("50ms"), a codec is its variant name ("Snappy", "Zlib", "Lz4", "Zstd"), and null clears an option.
 */
export function buildSettings(overrides) {
  const settings = slatedb.Settings.default();
  for (const [key, value] of Object.entries(overrides ?? {})) {
    settings.set(key, JSON.stringify(value));
  }
  return settings;
}

/**
 * The merge operator named by a job's "mergeOperator": only "concat" (the existing value, or nothing, followed
 * by the operand), which is associative as SlateDB requires and easy to predict in tests.
 */
export function mergeOperatorOf(name) {
  if (name === undefined || name === null) {
    return null;
  }
  if (name !== "concat") {
    throw new Error(`unknown mergeOperator ${JSON.stringify(name)}; the harness knows "concat"`);
  }
  return {
    merge(_key, existing, operand) {
      return Buffer.concat([existing === undefined ? Buffer.alloc(0) : Buffer.from(existing), Buffer.from(operand)]);
    },
  };
}

/** Applies the job's optional "walStore" (a separate WAL object store URL) and "mergeOperator" to a builder. */
export function configureBuilder(builder, job) {
  const mergeOperator = mergeOperatorOf(job.mergeOperator);
  if (mergeOperator !== null) {
    builder.with_merge_operator(mergeOperator);
  }
  if (job.walStore !== undefined && job.walStore !== null) {
    builder.with_wal_object_store(openStore(job.walStore));
  }
}

/** A KeyRange over [start, end) in hex; both ends optional (unbounded). */
export function keyRangeOf(range) {
  return {
    start: range?.start != null ? fromHex(range.start, "range.start") : undefined,
    start_inclusive: range?.startInclusive ?? true,
    end: range?.end != null ? fromHex(range.end, "range.end") : undefined,
    end_inclusive: range?.endInclusive ?? false,
  };
}

/** A KeyValue (or undefined) as JSON: hex bytes, exact integers. */
export function keyValueJson(kv) {
  if (kv === undefined || kv === null) {
    return null;
  }
  return {
    key: hex(kv.key),
    value: hex(kv.value),
    seq: toJsonInteger(kv.seq),
    createTs: toJsonInteger(kv.create_ts),
    expireTs: toJsonInteger(kv.expire_ts),
  };
}

/** Drains a DbIterator into JSON rows. */
export async function drain(iterator) {
  const rows = [];
  try {
    for (;;) {
      const kv = await iterator.next();
      if (kv === undefined) {
        return rows;
      }
      rows.push(keyValueJson(kv));
    }
  } finally {
    iterator.dispose?.();
  }
}
