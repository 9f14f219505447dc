// admin: the few administrative operations the tests need, as far as the 0.12.1 binding allows.
//
// The 0.12.1 binding has no Admin API (no manifest reads, no detached checkpoints, no clones); see
// README.md. What it offers instead:
//   {"command": "create-checkpoint", "store", "path", "lifetimeMs": n}
//       a checkpoint with that lifetime, made by a managed DbReader that is left open when the process
//       exits (lib/checkpoints.mjs); result {"checkpoint": {"id", "manifestId", "expireTimeS",
//       "createTimeS"}, "manifestId"}
//   {"command": "list-checkpoints", "store", "path"}   result {"manifestId", "checkpoints": [...]}
//   {"command": "read-manifest", "store", "path"}      result: summary of the latest manifest
//       (epochs, WAL ids, last_l0_seq, L0 and sorted-run SST ULIDs, checkpoints) or null without one
// Manifests are read from the local directory behind a file:/// store by lib/manifest-lite.mjs.
import { openStore, runJob } from "./lib/common.mjs";
import { createLeakedCheckpoint } from "./lib/checkpoints.mjs";
import { latestManifest, storeDirOf } from "./lib/manifest-lite.mjs";

runJob(async (job) => {
  switch (job.command) {
    case "create-checkpoint":
      return createLeakedCheckpoint(job, openStore(job.store), job.lifetimeMs);
    case "list-checkpoints": {
      const m = latestManifest(storeDirOf(job.store), job.path);
      return { manifestId: m?.id ?? null, checkpoints: m?.checkpoints ?? [] };
    }
    case "read-manifest":
      return latestManifest(storeDirOf(job.store), job.path);
    default:
      throw new Error(`unknown admin command ${JSON.stringify(job.command)}`);
  }
});
