package io.slatedb.cli;

import io.slatedb.InvalidSettingException;
import io.slatedb.Settings;
import io.slatedb.SlateDbException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of commands that open the database: the writer's settings from {@code --settings FILE}
 * (a properties file with SlateDB's snake_case names) and {@code --set name=value} entries, which
 * override the file. A setting that is unknown or invalid is a usage error naming the setting.
 */
public final class DatabaseOptions {

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "A setting by SlateDB's name, e.g. --set flush_interval=50ms or --set"
                    + " compactor_options=none; repeatable, overrides --settings.")
    private Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--settings", paramLabel = "FILE",
            description = "A properties file of settings (snake_case names, e.g. l0_sst_size_bytes=64MiB).")
    private Path settingsFile;

    /**
     * SlateDB's defaults with the settings file's entries applied, then the {@code --set} entries; a
     * bad setting or an unreadable file is a usage error of {@code spec}.
     */
    public Settings settings(CommandSpec spec) {
        Settings settings = Settings.DEFAULT;
        if (settingsFile != null) {
            try {
                settings = Settings.fromProperties(settingsFile);
            } catch (SlateDbException e) {
                throw new ParameterException(spec.commandLine(), "invalid --settings " + settingsFile + ": "
                        + e.getMessage(), e);
            }
        }
        try {
            return settings.withOverrides(sets);
        } catch (InvalidSettingException e) {
            throw new ParameterException(spec.commandLine(), "invalid --set: " + e.getMessage(), e);
        }
    }

    /** The {@code --set} entries, in the order given. */
    public Map<String, String> sets() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }
}
