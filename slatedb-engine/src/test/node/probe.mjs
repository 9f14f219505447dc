// probe: loads the binding (which loads its native library) and reports what is installed. The Java harness
// runs it once after installing, so that a broken install fails with a clear message instead of in the
// middle of a test.
// Job: {} ; result: {"bindingVersion", "node", "platform", "arch", "nativeLibrary", "codecs"}
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runJob, slatedb } from "./lib/common.mjs";

// The package exports only its entry point, so its package.json is found next to node_modules.
const here = dirname(fileURLToPath(import.meta.url));

runJob(async () => {
  const packageJson = JSON.parse(readFileSync(join(here, "node_modules", "@slatedb", "uniffi", "package.json"), "utf8"));
  // Settings validation names the codec variants this build of SlateDB accepts.
  const codecs = ["Snappy", "Zlib", "Lz4", "Zstd"].filter((codec) => {
    try {
      slatedb.Settings.default().set("compression_codec", JSON.stringify(codec));
      return true;
    } catch {
      return false;
    }
  });
  return {
    bindingVersion: packageJson.version,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    nativeLibrary: slatedb.ffiMetadata.stagedLibraryPackageRelativePath,
    codecs,
  };
});
