package io.slatedb.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Objects;

/** List assertions whose failure names the first difference, for lists of thousands of rows. */
final class RowAssertions {

    private RowAssertions() {
    }

    /** {@code actual} equals {@code expected} element by element. */
    static <T> void assertSameRows(List<T> expected, List<T> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        int i = 0;
        while (i < expected.size() && i < actual.size() && Objects.equals(expected.get(i), actual.get(i))) {
            i++;
        }
        fail(what + ": " + expected.size() + " rows expected, " + actual.size() + " found; first difference at "
                + i + ":\n  expected " + (i < expected.size() ? expected.get(i) : "no more rows")
                + "\n  found    " + (i < actual.size() ? actual.get(i) : "no more rows"));
    }
}
