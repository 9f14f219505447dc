// wal-dump: lists a database's WAL files with the real SlateDB's WalReader and dumps the raw rows of each
// (kind, key, value, seq, create_ts, expire_ts), in file order and, inside a file, in stored order.
//
// The 0.12.1 binding has WalReader (list/get/iterate one file), not the later SlateDbWalReader with
// WalRows batches; one entry of "files" here corresponds to one such batch.
//
// Job: {"store": "file:///abs/dir", "path": "db", "walStore": URL of a separate WAL store (optional; the
//       WAL is then read from there), "startId": n (inclusive, optional),
//       "endId": n (exclusive, optional), "timeoutMs": 60000}
// Result: {"files": [{"id", "sizeBytes", "rows": [{"kind": "Value"|"Tombstone"|"Merge", "key", "value",
//          "seq", "createTs", "expireTs"}]}]}
import { hex, openStore, runJob, slatedb, toJsonInteger } from "./lib/common.mjs";

runJob(async (job) => {
  const store = openStore(job.walStore ?? job.store);
  const reader = new slatedb.WalReader(job.path, store);
  try {
    const files = await reader.list(
      job.startId === undefined ? undefined : BigInt(job.startId),
      job.endId === undefined ? undefined : BigInt(job.endId),
    );
    const out = [];
    for (const file of files) {
      try {
        const metadata = await file.metadata();
        const iterator = await file.iterator();
        const rows = [];
        try {
          for (;;) {
            const row = await iterator.next();
            if (row === undefined) {
              break;
            }
            rows.push({
              kind: row.kind,
              key: hex(row.key),
              value: hex(row.value),
              seq: toJsonInteger(row.seq),
              createTs: toJsonInteger(row.create_ts),
              expireTs: toJsonInteger(row.expire_ts),
            });
          }
        } finally {
          iterator.dispose();
        }
        out.push({ id: toJsonInteger(file.id()), sizeBytes: toJsonInteger(metadata.size_bytes), rows });
      } finally {
        file.dispose();
      }
    }
    return { files: out };
  } finally {
    reader.dispose();
  }
});
