package io.slatedb.cli;

import io.slatedb.ManifestSnapshot;
import io.slatedb.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code slatedb manifest show}: prints one manifest, the latest by default. */
@Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Prints a manifest: epochs, WAL ids, sequence numbers, L0 SSTs, sorted runs,",
                "checkpoints and external databases. With --json, every field of it."})
final class ManifestShowCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--id", paramLabel = "N", converter = UnsignedLongConverter.class,
            description = "The manifest to show. Default: the latest.")
    private Long id;

    @Option(names = "--hex", description = "Print keys in hex even when they are printable UTF-8.")
    private boolean hex;

    @Override
    public Integer call() {
        if (id != null && id == 0) {
            throw new ParameterException(spec.commandLine(), "--id must be at least 1 (manifest ids start at 1)");
        }
        GlobalOptions options = SlateDbCli.globalOptions(spec);
        try (ObjectStore store = options.openStore(spec);
             DatabaseManifests manifests = new DatabaseManifests(store, options.dbPath())) {
            ManifestSnapshot manifest = id == null ? manifests.latest() : manifests.read(id);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                Json.print(out, ManifestJson.of(manifest.id(), manifest.manifest()));
            } else {
                new ManifestText(out, hex).print(manifest.id(), manifest.manifest(),
                        options.dbPath() + " in " + store.describe());
            }
        }
        return 0;
    }
}
