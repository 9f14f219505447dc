package io.slatedb;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The names and syntax of an options record's settings, and the conversion between the record and
 * a flat map of {@code name → text}. A group of settings ({@link Group}) lists its members: plain
 * values ({@link Value}) and nested option records ({@link Nested}), which appear in maps under
 * dotted names and can be disabled as a whole with {@code none}.
 */
final class SettingsSchema {
    private SettingsSchema() {
    }

    /** One member of a group. */
    interface Member<G, B> {
        /** Adds the member's entries for {@code group} to {@code out}. */
        void write(G group, String prefix, Map<String, String> out);

        /** Reads the member's entries from {@code in} (removing them) into {@code builder}. */
        void read(B builder, G base, String prefix, Map<String, String> in);

        /** Adds every name this member accepts. */
        void names(String prefix, Set<String> out);

        /** Adds the descriptions of this member's settings, with the defaults {@code defaults} holds. */
        void describe(G defaults, String prefix, Map<String, Described> out);
    }

    /**
     * A setting's public description and the syntax that parses it ({@code null} for a group's own
     * entry, which takes only {@code none}).
     */
    record Described(SettingDescriptor descriptor, SettingSyntax<?> syntax) {
    }

    /**
     * A group of settings: an options record {@code G} built with {@code B}.
     *
     * @param members   the settings, in the order maps list them
     * @param toBuilder a builder holding a record's values
     * @param build     builds the record, validating it
     */
    record Group<G, B>(List<Member<G, B>> members, Function<G, B> toBuilder, Function<B, G> build) {

        /** The record's settings as text, in member order. */
        Map<String, String> write(G group) {
            Map<String, String> out = new LinkedHashMap<>();
            write(group, "", out);
            return out;
        }

        void write(G group, String prefix, Map<String, String> out) {
            for (Member<G, B> member : members) {
                member.write(group, prefix, out);
            }
        }

        /** {@code base} with the entries of {@code in} under {@code prefix} applied; removes them from {@code in}. */
        G read(G base, String prefix, Map<String, String> in) {
            B builder = toBuilder.apply(base);
            for (Member<G, B> member : members) {
                member.read(builder, base, prefix, in);
            }
            try {
                return build.apply(builder);
            } catch (InvalidSettingException e) {
                throw prefix.isEmpty() ? e : e.under(prefix.substring(0, prefix.length() - 1));
            }
        }

        /** Every name the group accepts, in member order. */
        Set<String> names() {
            Set<String> out = new LinkedHashSet<>();
            names("", out);
            return out;
        }

        void names(String prefix, Set<String> out) {
            for (Member<G, B> member : members) {
                member.names(prefix, out);
            }
        }

        /** Every setting's description, by name in member order, with the defaults {@code defaults} holds. */
        Map<String, Described> describe(G defaults) {
            Map<String, Described> out = new LinkedHashMap<>();
            describe(defaults, "", out);
            return out;
        }

        void describe(G defaults, String prefix, Map<String, Described> out) {
            for (Member<G, B> member : members) {
                member.describe(defaults, prefix, out);
            }
        }
    }

    /**
     * A setting holding one value.
     *
     * @param name   the name within its group
     * @param syntax how the value is written
     * @param getter reads the value from the record
     * @param setter sets the value on the builder
     * @param description what the setting does, in one sentence
     */
    record Value<G, B, T>(String name, SettingSyntax<T> syntax, Function<G, T> getter, BiConsumer<B, T> setter,
                          String description) implements Member<G, B> {

        @Override
        public void write(G group, String prefix, Map<String, String> out) {
            out.put(prefix + name, syntax.format(getter.apply(group)));
        }

        @Override
        public void read(B builder, G base, String prefix, Map<String, String> in) {
            String fullName = prefix + name;
            String text = in.remove(fullName);
            if (text == null) {
                return;
            }
            T value;
            try {
                value = syntax.parse(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(fullName, text, e.getMessage());
            }
            setter.accept(builder, value);
        }

        @Override
        public void names(String prefix, Set<String> out) {
            out.add(prefix + name);
        }

        @Override
        public void describe(G defaults, String prefix, Map<String, Described> out) {
            SettingDescriptor descriptor = new SettingDescriptor(prefix + name, syntax.type(),
                    syntax.format(getter.apply(defaults)), description, syntax.choices(), syntax.acceptsNone());
            out.put(descriptor.name(), new Described(descriptor, syntax));
        }
    }

    /**
     * A nested options record, {@code null} when disabled. In maps it is either {@code name=none}
     * (disabled) or its own settings as {@code name.setting} entries; a map giving only some of them
     * changes those and keeps the rest (or the defaults, when the base had it disabled).
     *
     * @param name         the name within its group
     * @param group        the nested record's settings
     * @param getter       reads the nested record (or {@code null}) from the enclosing record
     * @param setter       sets it on the enclosing builder
     * @param defaultValue the nested record enabled from a disabled base starts from
     * @param description  what the group configures, in one sentence
     */
    record Nested<G, B, C, CB>(String name, Group<C, CB> group, Function<G, C> getter, BiConsumer<B, C> setter,
                               C defaultValue, String description) implements Member<G, B> {

        @Override
        public void write(G parent, String prefix, Map<String, String> out) {
            C value = getter.apply(parent);
            if (value == null) {
                out.put(prefix + name, SettingSyntax.NONE);
            } else {
                group.write(value, prefix + name + ".", out);
            }
        }

        @Override
        public void read(B builder, G base, String prefix, Map<String, String> in) {
            String fullName = prefix + name;
            String childPrefix = fullName + ".";
            String own = in.remove(fullName);
            String child = in.keySet().stream().filter(key -> key.startsWith(childPrefix)).findFirst().orElse(null);
            if (own != null) {
                if (!SettingSyntax.isNone(own)) {
                    throw new InvalidSettingException(fullName, own,
                            "expected none (to disable it), or settings named " + childPrefix + "*");
                }
                if (child != null) {
                    throw new InvalidSettingException(fullName, own, "disabled, but " + child + " is set");
                }
                setter.accept(builder, null);
            } else if (child != null) {
                C current = getter.apply(base);
                setter.accept(builder, group.read(current == null ? defaultValue : current, childPrefix, in));
            }
        }

        @Override
        public void names(String prefix, Set<String> out) {
            out.add(prefix + name);
            group.names(prefix + name + ".", out);
        }

        @Override
        public void describe(G defaults, String prefix, Map<String, Described> out) {
            C value = getter.apply(defaults);
            SettingDescriptor descriptor = new SettingDescriptor(prefix + name, SettingType.GROUP,
                    value == null ? SettingSyntax.NONE : null, description, List.of(), true);
            out.put(descriptor.name(), new Described(descriptor, null));
            // Members of a group disabled by default describe the values it starts from when enabled.
            group.describe(value == null ? defaultValue : value, prefix + name + ".", out);
        }
    }
}
