package io.slatedb.flink;

import io.slatedb.flink.state.SlateDbKeyedStateBackendBuilder;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.Environment;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.AbstractManagedMemoryStateBackend;
import org.apache.flink.runtime.state.ConfigurableStateBackend;
import org.apache.flink.runtime.state.DefaultOperatorStateBackendBuilder;
import org.apache.flink.runtime.state.OperatorStateBackend;
import org.apache.flink.util.TernaryBoolean;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Flink state backend that keeps each operator subtask's keyed state in its own SlateDB database on
 * object storage. Checkpoints are SlateDB checkpoints of those databases (no SST is copied), and a
 * restore, rescaled or not, clones the checkpointed databases (metadata only).
 *
 * <p>Select it by configuration, {@code state.backend.type: io.slatedb.flink.SlateDbStateBackendFactory}
 * (see {@link SlateDbOptions}), or build it in code with the setters and let Flink
 * {@link #configure configure} it: a setting made here wins over the configuration only when the
 * configuration does not set that option.
 *
 * <p>Instances are cheap and hold only settings: stores, threads and caches are opened by the keyed
 * backends (with managed memory, once per task slot and shared by its keyed backends).
 */
@PublicEvolving
public class SlateDbStateBackend extends AbstractManagedMemoryStateBackend implements ConfigurableStateBackend {

    private static final long serialVersionUID = 1L;

    /** The store URL, or null until set. */
    private String store;
    /** The database root, or null for the option's default. */
    private String path;
    /** Engine settings set in code, by engine name. */
    private final LinkedHashMap<String, String> engineSettings = new LinkedHashMap<>();
    private TernaryBoolean useManagedMemory = TernaryBoolean.UNDEFINED;
    /** Where the timers live, or null for the option's default. */
    private SlateDbOptions.TimerServiceFactory timerServiceFactory;
    /** What NATIVE savepoints write, or null for the option's default. */
    private SlateDbOptions.SavepointMode savepointMode;

    /** A backend with no settings made: everything comes from the configuration. */
    public SlateDbStateBackend() {
    }

    /** {@code original}'s settings, with every option {@code config} sets applied on top. */
    private SlateDbStateBackend(SlateDbStateBackend original, ReadableConfig config) {
        this.latencyTrackingConfigBuilder = original.latencyTrackingConfigBuilder.configure(config);
        this.sizeTrackingConfigBuilder = original.sizeTrackingConfigBuilder.configure(config);
        this.store = SlateDbOptions.checkStore(config.getOptional(SlateDbOptions.STORE).orElse(original.store));
        this.path = SlateDbOptions.checkPath(config.getOptional(SlateDbOptions.PATH)
                .orElse(original.path != null ? original.path : SlateDbOptions.PATH.defaultValue()));
        this.engineSettings.putAll(original.engineSettings);
        this.engineSettings.putAll(SlateDbOptions.engineSettingsOf(config));
        SlateDbOptions.engineSettings(engineSettings);
        this.useManagedMemory = original.useManagedMemory.resolveUndefined(
                config.get(SlateDbOptions.USE_MANAGED_MEMORY));
        this.timerServiceFactory = config.getOptional(SlateDbOptions.TIMER_SERVICE_FACTORY)
                .orElse(original.timerServiceFactory);
        this.savepointMode = config.getOptional(SlateDbOptions.SAVEPOINT_MODE).orElse(original.savepointMode);
    }

    /**
     * A new backend: the options {@code config} sets override this backend's settings, and for the
     * options it lacks this backend's settings (or the defaults) stay. This backend is not changed.
     *
     * @throws IllegalConfigurationException naming the option, when a value is invalid or the store is missing
     */
    @Override
    public SlateDbStateBackend configure(ReadableConfig config, ClassLoader classLoader)
            throws IllegalConfigurationException {
        return new SlateDbStateBackend(this, config);
    }

    // ---------------------------------------------------------------- settings

    /**
     * Sets the object store of the databases ({@link SlateDbOptions#STORE}).
     *
     * @throws IllegalConfigurationException when the URL is not a supported store URL
     */
    public void setStore(String storeUrl) {
        this.store = SlateDbOptions.checkStore(storeUrl);
    }

    /** The object store URL, or null when not set. */
    public String getStore() {
        return store;
    }

    /**
     * Sets the root path of the job databases in the store ({@link SlateDbOptions#PATH}).
     *
     * @throws IllegalConfigurationException when the path is not a relative path
     */
    public void setPath(String path) {
        this.path = SlateDbOptions.checkPath(path);
    }

    /** The root path of the job databases, or null for the default. */
    public String getPath() {
        return path;
    }

    /**
     * Sets one engine setting (an entry of {@code io.slatedb.Settings.schema()}, e.g.
     * {@code l0_sst_size_bytes} to {@code 32MiB}).
     *
     * @throws IllegalConfigurationException naming the setting's option when it is unknown or invalid
     */
    public void setEngineSetting(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        LinkedHashMap<String, String> next = new LinkedHashMap<>(engineSettings);
        next.put(name, value);
        SlateDbOptions.engineSettings(next);
        engineSettings.put(name, value);
    }

    /** The engine settings set on this backend, by engine name. */
    public Map<String, String> getEngineSettings() {
        return Map.copyOf(engineSettings);
    }

    /** Whether managed memory sizes the engine's caches and write buffers ({@link SlateDbOptions#USE_MANAGED_MEMORY}). */
    public void setUseManagedMemory(boolean useManagedMemory) {
        this.useManagedMemory = TernaryBoolean.fromBoolean(useManagedMemory);
    }

    /** Whether managed memory sizes the engine's caches, resolved against the option's default. */
    public boolean isUsingManagedMemory() {
        return useManagedMemory.getOrDefault(SlateDbOptions.USE_MANAGED_MEMORY.defaultValue());
    }

    /** Sets where the timers live ({@link SlateDbOptions#TIMER_SERVICE_FACTORY}). */
    public void setTimerServiceFactory(SlateDbOptions.TimerServiceFactory factory) {
        this.timerServiceFactory = Objects.requireNonNull(factory, "factory");
    }

    /** Where the timers live, resolved against the option's default. */
    public SlateDbOptions.TimerServiceFactory getTimerServiceFactory() {
        return timerServiceFactory != null ? timerServiceFactory : SlateDbOptions.TIMER_SERVICE_FACTORY.defaultValue();
    }

    /** Sets what NATIVE savepoints write ({@link SlateDbOptions#SAVEPOINT_MODE}). */
    public void setSavepointMode(SlateDbOptions.SavepointMode mode) {
        this.savepointMode = Objects.requireNonNull(mode, "mode");
    }

    /** What NATIVE savepoints write, resolved against the option's default. */
    public SlateDbOptions.SavepointMode getSavepointMode() {
        return savepointMode != null ? savepointMode : SlateDbOptions.SAVEPOINT_MODE.defaultValue();
    }

    // ---------------------------------------------------------------- the SPI

    @Override
    public boolean supportsNoClaimRestoreMode() {
        // Every checkpoint is a self-contained SlateDB checkpoint: a forced full one is just the next one.
        return true;
    }

    @Override
    public boolean supportsSavepointFormat(SavepointFormatType formatType) {
        // NATIVE: SlateDB checkpoints; CANONICAL: Flink's portable format, written and loaded entry by entry.
        return formatType == SavepointFormatType.NATIVE || formatType == SavepointFormatType.CANONICAL;
    }

    @Override
    public <K> AbstractKeyedStateBackend<K> createKeyedStateBackend(KeyedStateBackendParameters<K> parameters)
            throws IOException {
        if (store == null) {
            throw new IllegalConfigurationException("Option " + SlateDbOptions.STORE.key() + " is required: the object"
                    + " store of the state databases, e.g. file:///absolute/dir or s3://bucket/prefix.");
        }
        Environment env = parameters.getEnv();
        return new SlateDbKeyedStateBackendBuilder<>(parameters, store,
                path != null ? path : SlateDbOptions.PATH.defaultValue(),
                SlateDbOptions.engineSettings(engineSettings), Map.copyOf(engineSettings),
                isUsingManagedMemory(),
                getTimerServiceFactory() == SlateDbOptions.TimerServiceFactory.SLATEDB,
                getSavepointMode() == SlateDbOptions.SavepointMode.COPY,
                latencyTrackingConfigBuilder.setMetricGroup(parameters.getMetricGroup()).build(),
                sizeTrackingConfigBuilder.setMetricGroup(parameters.getMetricGroup()).build(),
                getCompressionDecorator(env.getExecutionConfig()))
                .build();
    }

    @Override
    public OperatorStateBackend createOperatorStateBackend(OperatorStateBackendParameters parameters) throws Exception {
        return new DefaultOperatorStateBackendBuilder(
                parameters.getEnv().getUserCodeClassLoader().asClassLoader(),
                parameters.getEnv().getExecutionConfig(),
                true,
                parameters.getStateHandles(),
                parameters.getCancelStreamRegistry())
                .build();
    }

    @Override
    public String toString() {
        return "SlateDbStateBackend{store=" + store + ", path=" + path + ", engineSettings=" + engineSettings
                + ", useManagedMemory=" + useManagedMemory + ", timerServiceFactory=" + timerServiceFactory + ", savepointMode=" + savepointMode + '}';
    }
}
