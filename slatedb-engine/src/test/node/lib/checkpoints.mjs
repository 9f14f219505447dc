// Checkpoints through the 0.12.1 binding, which has no Admin API (no create_detached_checkpoint): a DbReader
// in its default (managed checkpoint) mode writes a checkpoint of the latest manifest when it opens and
// deletes it again when it shuts down. A reader that is opened and never shut down therefore leaves a
// checkpoint with the requested lifetime behind once the process exits; that is what "create a checkpoint"
// means here. The reader polls the manifest only every lifetime/2 (the longest interval SlateDB accepts), so
// it does not replace its checkpoint while the job runs.
import { configureBuilder, slatedb } from "./common.mjs";
import { latestManifest, storeDirOf } from "./manifest-lite.mjs";

/** Opens a reader that is never closed; returns the checkpoint it created (found by diffing manifests). */
export async function createLeakedCheckpoint(job, store, lifetimeMs) {
  if (!Number.isInteger(lifetimeMs) || lifetimeMs < 2000) {
    throw new Error(`checkpoint lifetimeMs must be an integer >= 2000, got ${lifetimeMs}`);
  }
  const dir = storeDirOf(job.store);
  const before = new Set((latestManifest(dir, job.path)?.checkpoints ?? []).map((c) => c.id));
  const builder = new slatedb.DbReaderBuilder(job.path, store);
  try {
    builder.with_options({
      manifest_poll_interval_ms: BigInt(Math.floor(lifetimeMs / 2)),
      checkpoint_lifetime_ms: BigInt(lifetimeMs),
      max_memtable_bytes: 64n * 1024n * 1024n,
      skip_wal_replay: true,
    });
    configureBuilder(builder, job);
    leakedReaders.push(await builder.build());
  } finally {
    builder.dispose();
  }
  const after = latestManifest(dir, job.path);
  const created = after.checkpoints.filter((c) => !before.has(c.id));
  if (created.length !== 1) {
    throw new Error(`expected exactly one new checkpoint, found ${JSON.stringify(created, bigintSafe)}`);
  }
  return { checkpoint: created[0], manifestId: after.id };
}

function bigintSafe(_key, value) {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Keeps the readers reachable until the process exits, so that nothing closes them (or their checkpoints). */
const leakedReaders = [];
