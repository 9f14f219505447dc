package io.slatedb.flink;

import io.slatedb.SettingDescriptor;
import io.slatedb.Settings;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.StateBackendLoader;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class SlateDbOptionsTest {

    private static final ClassLoader CL = SlateDbOptionsTest.class.getClassLoader();

    private static Configuration config(String... keysAndValues) {
        Configuration config = new Configuration();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.setString(keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    @Test
    void everyEngineSettingHasAnOptionNamedAfterIt() {
        assertThat(SlateDbOptions.engineSettings()).extracting(ConfigOption::key)
                .containsExactlyElementsOf(Settings.schema().stream()
                        .map(s -> "state.backend.slatedb.settings." + s.name()).toList());
        for (ConfigOption<String> option : SlateDbOptions.engineSettings()) {
            assertThat(option.hasDefaultValue()).isFalse();
            assertThat(new HtmlFormatter().format(option.description())).isNotBlank();
        }
        SettingDescriptor first = Settings.schema().get(0);
        assertThat(new HtmlFormatter().format(SlateDbOptions.engineSettings().get(0).description())).contains(first.description().substring(0, 20));
    }

    @Test
    void theFactoryAppliesEveryOption() throws Exception {
        SlateDbStateBackend backend = new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/slatedb-flink",
                "state.backend.slatedb.path", "team/flink",
                "state.backend.slatedb.settings.l0_sst_size_bytes", "32MiB",
                "state.backend.slatedb.memory.managed", "false"), CL);

        assertThat(backend.getStore()).isEqualTo("file:///tmp/slatedb-flink");
        assertThat(backend.getPath()).isEqualTo("team/flink");
        assertThat(backend.getEngineSettings()).isEqualTo(Map.of("l0_sst_size_bytes", "32MiB"));
        assertThat(SlateDbOptions.engineSettings(backend.getEngineSettings()).l0SstSizeBytes()).isEqualTo(32L << 20);
        assertThat(backend.isUsingManagedMemory()).isFalse();
    }

    @Test
    void theDefaults() throws Exception {
        SlateDbStateBackend backend = new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "s3://bucket/prefix"), CL);

        assertThat(backend.getPath()).isEqualTo("flink");
        assertThat(backend.getEngineSettings()).isEmpty();
        assertThat(backend.isUsingManagedMemory()).isTrue();
        assertThat(backend.useManagedMemory()).isTrue();
        assertThat(backend.supportsNoClaimRestoreMode()).isTrue();
        assertThat(backend.supportsSavepointFormat(SavepointFormatType.NATIVE)).isTrue();
        assertThat(backend.supportsSavepointFormat(SavepointFormatType.CANONICAL)).isTrue();
    }

    @Test
    void stateBackendTypeLoadsTheFactory() throws Exception {
        Configuration config = config("state.backend.slatedb.store", "file:///tmp/slatedb-flink");
        config.set(StateBackendOptions.STATE_BACKEND, SlateDbStateBackendFactory.class.getName());

        StateBackend backend = StateBackendLoader.loadStateBackendFromConfig(config, CL, null);

        assertThat(backend).isInstanceOf(SlateDbStateBackend.class);
        assertThat(((SlateDbStateBackend) backend).getStore()).isEqualTo("file:///tmp/slatedb-flink");
    }

    @Test
    void configureKeepsTheSettingsMadeInCodeForOptionsTheConfigurationLacks() {
        SlateDbStateBackend original = new SlateDbStateBackend();
        original.setStore("file:///tmp/in-code");
        original.setPath("in-code");
        original.setEngineSetting("l0_sst_size_bytes", "16MiB");
        original.setEngineSetting("sst_block_size", "8KiB");
        original.setUseManagedMemory(false);

        SlateDbStateBackend configured = original.configure(config(
                "state.backend.slatedb.path", "from-config",
                "state.backend.slatedb.settings.sst_block_size", "16KiB",
                "state.backend.slatedb.memory.managed", "true"), CL);

        assertThat(configured).isNotSameAs(original);
        assertThat(configured.getStore()).isEqualTo("file:///tmp/in-code");
        assertThat(configured.getPath()).isEqualTo("from-config");
        assertThat(configured.getEngineSettings())
                .isEqualTo(Map.of("l0_sst_size_bytes", "16MiB", "sst_block_size", "16KiB"));
        // A setting made in code wins over the configuration (as RocksDB's TernaryBoolean settings do).
        assertThat(configured.isUsingManagedMemory()).isFalse();
        // The original is unchanged.
        assertThat(original.getPath()).isEqualTo("in-code");
        assertThat(original.getEngineSettings()).containsEntry("sst_block_size", "8KiB");
    }

    @Test
    void aConfiguredBackendSurvivesJavaSerialization() throws Exception {
        // Flink ships the backend from the client to the job manager and the tasks.
        SlateDbStateBackend backend = new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "s3://bucket/prefix",
                "state.backend.slatedb.settings.l0_sst_size_bytes", "32MiB"), CL);

        SlateDbStateBackend copy = InstantiationUtil.clone(backend, CL);

        assertThat(copy.getStore()).isEqualTo("s3://bucket/prefix");
        assertThat(copy.getEngineSettings()).isEqualTo(Map.of("l0_sst_size_bytes", "32MiB"));
    }

    @Test
    void aMissingStoreFailsNamingTheOption() {
        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(new Configuration(), CL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.slatedb.store");
    }

    @Test
    void badValuesFailNamingTheOption() {
        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "ftp://host/dir"), CL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.slatedb.store");
        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "memory:///"), CL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.slatedb.store");
        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.path", "/absolute"), CL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.slatedb.path");
        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.settings.l0_sst_size_bytes", "lots"), CL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.slatedb.settings.l0_sst_size_bytes");
        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.settings.no_such_setting", "1"), CL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.slatedb.settings.no_such_setting");
        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.memory.managed", "maybe"), CL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state.backend.slatedb.memory.managed");
    }

    @Test
    void settingsThatBreakARuleTogetherFailNamingTheOption() {
        SlateDbStateBackend backend = new SlateDbStateBackend();
        assertThatThrownBy(() -> backend.setEngineSetting("max_unflushed_bytes", "1KiB"))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("state.backend.slatedb.settings.max_unflushed_bytes");
        assertThat(backend.getEngineSettings()).isEmpty();
    }

    @Test
    void timersLiveInTheDatabaseUnlessTheHeapIsChosen() {
        SlateDbStateBackend defaults = new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x"), CL);
        assertThat(defaults.getTimerServiceFactory()).isEqualTo(SlateDbOptions.TimerServiceFactory.SLATEDB);

        SlateDbStateBackend heap = new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.timer-service.factory", "heap"), CL);
        assertThat(heap.getTimerServiceFactory()).isEqualTo(SlateDbOptions.TimerServiceFactory.HEAP);

        // Set in code, kept by a configuration without the option, overridden by one with it.
        SlateDbStateBackend inCode = new SlateDbStateBackend();
        inCode.setTimerServiceFactory(SlateDbOptions.TimerServiceFactory.HEAP);
        assertThat(inCode.configure(config("state.backend.slatedb.store", "file:///tmp/x"), CL)
                .getTimerServiceFactory()).isEqualTo(SlateDbOptions.TimerServiceFactory.HEAP);
        assertThat(inCode.configure(config("state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.timer-service.factory", "SLATEDB"), CL)
                .getTimerServiceFactory()).isEqualTo(SlateDbOptions.TimerServiceFactory.SLATEDB);

        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.timer-service.factory", "rocksdb"), CL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state.backend.slatedb.timer-service.factory");
    }

    @Test
    void savepointsAreClonesUnlessCopiesAreChosen() {
        SlateDbStateBackend defaults = new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x"), CL);
        assertThat(defaults.getSavepointMode()).isEqualTo(SlateDbOptions.SavepointMode.CLONE);

        SlateDbStateBackend copy = new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.savepoint.mode", "copy"), CL);
        assertThat(copy.getSavepointMode()).isEqualTo(SlateDbOptions.SavepointMode.COPY);

        // Set in code, kept by a configuration without the option, overridden by one with it.
        SlateDbStateBackend inCode = new SlateDbStateBackend();
        inCode.setSavepointMode(SlateDbOptions.SavepointMode.COPY);
        assertThat(inCode.configure(config("state.backend.slatedb.store", "file:///tmp/x"), CL)
                .getSavepointMode()).isEqualTo(SlateDbOptions.SavepointMode.COPY);
        assertThat(inCode.configure(config("state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.savepoint.mode", "CLONE"), CL)
                .getSavepointMode()).isEqualTo(SlateDbOptions.SavepointMode.CLONE);

        assertThatThrownBy(() -> new SlateDbStateBackendFactory().createFromConfig(config(
                "state.backend.slatedb.store", "file:///tmp/x",
                "state.backend.slatedb.savepoint.mode", "move"), CL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("state.backend.slatedb.savepoint.mode");
    }
}
