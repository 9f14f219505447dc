package io.slatedb;

import java.util.List;
import java.util.Objects;

/**
 * One setting of {@link Settings} as {@link Settings#schema()} describes it: its name in settings maps,
 * the kind of value it takes, its default written as {@link Settings#toMap()} writes it, and a
 * one-line description. Integrations generate their own configuration (a Flink {@code ConfigOption},
 * a Kafka Connect {@code ConfigDef} entry) from these instead of repeating them.
 *
 * @param name         the full dotted name, e.g. {@code flush_interval} or
 *                     {@code compactor_options.max_sst_size}
 * @param type         the kind of value
 * @param defaultValue the default as text ({@code none} for an absent optional value or a group
 *                     disabled by default); {@code null} for a group enabled by default, whose members
 *                     carry their own defaults
 * @param description  what the setting does, in one sentence
 * @param choices      the accepted words of a {@link SettingType#CHOICE} setting, otherwise empty
 * @param acceptsNone  whether {@code none} (or the empty string) is accepted: an optional value that
 *                     may be absent, or a group that may be disabled
 */
public record SettingDescriptor(String name, SettingType type, String defaultValue, String description,
                                List<String> choices, boolean acceptsNone) {

    /** @throws NullPointerException when a component other than {@code defaultValue} is null */
    public SettingDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        choices = List.copyOf(choices);
    }

    /**
     * Checks that {@code text} parses as a value of this setting, as {@link Settings#fromMap} parses
     * it. Range rules (a positive duration, a count of at least 1) and rules that relate several
     * settings (such as {@code max_unflushed_bytes} above {@code l0_sst_size_bytes}) are checked by
     * {@link Settings#fromMap} with every setting at hand.
     *
     * @throws InvalidSettingException naming this setting when {@code text} does not parse
     */
    public void check(String text) {
        Objects.requireNonNull(text, "text");
        SettingsText.checkSyntax(name, text);
    }
}
