package io.slatedb.flink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.runtime.state.StateBackendFactory;

/**
 * Creates the {@link SlateDbStateBackend} from the configuration:
 * {@code state.backend.type: io.slatedb.flink.SlateDbStateBackendFactory}. Flink does not call
 * {@code configure} on a backend a factory made, so this applies every option of
 * {@link SlateDbOptions} itself. Cheap and stateless: Flink calls it many times per job, on the job
 * manager and on every task.
 */
@PublicEvolving
public final class SlateDbStateBackendFactory implements StateBackendFactory<SlateDbStateBackend> {

    /**
     * @throws IllegalConfigurationException naming the option, when a value is invalid or the store is missing
     */
    @Override
    public SlateDbStateBackend createFromConfig(ReadableConfig config, ClassLoader classLoader)
            throws IllegalConfigurationException {
        return new SlateDbStateBackend().configure(config, classLoader);
    }
}
