package io.slatedb;

/**
 * The kind of value a setting takes, as {@link SettingDescriptor#type()} reports it, so that tools
 * built on {@link Settings#schema()} (configuration front ends, validators, documentation) can pick
 * a matching input type. The text syntax of each is described at {@link Settings}.
 */
public enum SettingType {
    /** A duration such as {@code 100ms}, {@code 5m} or {@code 7days}. */
    DURATION,
    /** A size in bytes: a plain integer or one with a binary unit, such as {@code 64MiB}. */
    BYTES,
    /** A 32-bit decimal integer. */
    INT,
    /** A 64-bit decimal integer. */
    LONG,
    /** A decimal number such as {@code 4.0}. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** One word of {@link SettingDescriptor#choices()}. */
    CHOICE,
    /**
     * A group of nested settings (named {@code group.member}); the group's own entry takes only
     * {@code none}, which disables it.
     */
    GROUP
}
