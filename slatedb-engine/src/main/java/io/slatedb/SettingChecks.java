package io.slatedb;

import io.slatedb.util.Durations;

import java.time.Duration;
import java.util.Objects;

/** The validation rules options records share; each failure is an {@link InvalidSettingException}. */
final class SettingChecks {
    private SettingChecks() {
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new InvalidSettingException(name, show(value), "must be positive");
        }
        return value;
    }

    static Duration nonNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new InvalidSettingException(name, show(value), "must not be negative");
        }
        return value;
    }

    static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new InvalidSettingException(name, Long.toString(value), "must be at least " + min);
        }
        return value;
    }

    static String show(Duration value) {
        return value.isNegative() ? value.toString() : Durations.format(value);
    }
}
