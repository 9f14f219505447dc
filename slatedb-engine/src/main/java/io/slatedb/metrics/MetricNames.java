package io.slatedb.metrics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The rule for metric names: lower-case dotted segments of letters, digits and underscores, e.g.
 * {@code object_store.get.latency}. One spelling everywhere lets a bridge map the names onto another
 * system's conventions (Prometheus underscores, Flink scopes) mechanically.
 */
final class MetricNames {

    private static final Pattern VALID = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");

    private MetricNames() {
    }

    /** Returns {@code name} if it follows the rule; otherwise throws {@link IllegalArgumentException}. */
    static String requireValid(String name) {
        Objects.requireNonNull(name, "name");
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid metric name '" + name
                    + "': use lower-case dotted segments of a-z, 0-9 and _, e.g. object_store.get.latency");
        }
        return name;
    }
}
