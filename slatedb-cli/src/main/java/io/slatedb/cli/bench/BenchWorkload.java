package io.slatedb.cli.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The workloads of {@code slatedb bench}, named as db_bench names them. */
enum BenchWorkload {
    /** Puts of {@code --num} keys drawn at random (with repeats) from {@code [0, num)}. */
    FILLRANDOM(true),
    /** Puts of keys {@code 0 .. num-1} in ascending order. */
    FILLSEQ(true),
    /** Gets of random keys from a database loaded with {@code num} keys, served as {@code --from} says. */
    READRANDOM(false),
    /** One full scan of a database loaded with {@code num} keys; one operation per row. */
    SCAN(false),
    /** Random gets by {@code --threads} readers while one more thread puts random keys without pause. */
    READWHILEWRITING(false);

    private final boolean writes;

    BenchWorkload(boolean writes) {
        this.writes = writes;
    }

    /** Whether the timed operations are puts (the others read a database loaded beforehand). */
    boolean writes() {
        return writes;
    }

    /** The workload's name on the command line. */
    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The workload named {@code name} (case-insensitive); {@code mixed} is {@link #READWHILEWRITING}. */
    static BenchWorkload parse(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("mixed")) {
            return READWHILEWRITING;
        }
        for (BenchWorkload workload : values()) {
            if (workload.cliName().equals(lower)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "': choose one of " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(BenchWorkload::cliName).collect(Collectors.joining(", ")) + ", mixed";
    }
}
