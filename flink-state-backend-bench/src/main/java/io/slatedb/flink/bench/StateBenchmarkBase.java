package io.slatedb.flink.bench;

import org.apache.flink.runtime.state.CheckpointableKeyedStateBackend;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One keyed backend per trial, loaded with {@link StateSize} bytes of state and checkpointed once (so the
 * databases have flushed it out of their memtables, as a running job's state is), then read and written
 * at random keys. Short default iterations; JMH's {@code -wi -i -w -r} options lengthen them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang=ALL-UNNAMED"})
public abstract class StateBenchmarkBase {

    /** Bytes of one value (or one list element, one map value). */
    static final int VALUE_BYTES = 100;

    @Param({"SLATEDB", "ROCKSDB", "HEAP"})
    public BackendKind backend;

    @Param({"MEMTABLE", "TEN_X_CACHE"})
    public StateSize stateSize;

    protected CheckpointableKeyedStateBackend<Long> keyed;
    protected long keyCount;
    protected final byte[] value = new byte[VALUE_BYTES];
    private KeyedBackends backends;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "flinkbench-");
        backends = new KeyedBackends(backend, dir, StateSize.BLOCK_CACHE_BYTES);
        keyed = backends.open(List.of());
        random.nextBytes(value);
        keyCount = Math.max(1, stateSize.bytes / bytesPerKey());
        createState();
        for (long key = 0; key < keyCount; key++) {
            keyed.setCurrentKey(key);
            load(key);
        }
        backends.checkpoint(keyed, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try {
            keyed.dispose();
        } finally {
            backends.close();
        }
    }

    /** Selects a random loaded key as the backend's current key and returns it. */
    protected long selectRandomKey() {
        long key = random.nextLong(keyCount);
        keyed.setCurrentKey(key);
        return key;
    }

    protected int randomInt(int bound) {
        return random.nextInt(bound);
    }

    /** The bytes of state one key holds after loading. */
    abstract long bytesPerKey();

    /** Creates the benchmark's state on {@link #keyed}. */
    abstract void createState() throws Exception;

    /** Loads the current key's state. */
    abstract void load(long key) throws Exception;
}
