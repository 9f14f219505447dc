package io.slatedb;

import java.util.Objects;

/**
 * A setting is unknown, cannot be parsed, or breaks a validation rule. Always of kind
 * {@link ErrorKind#INVALID}; names the setting (SlateDB's snake_case name, dotted for nested
 * options, e.g. {@code compactor_options.max_sst_size}), so a configuration error can be reported
 * against the line that caused it.
 *
 * <p>Options records validated on their own ({@link CompactorOptions},
 * {@link GarbageCollectorOptions}, ...) name settings relative to themselves ({@code max_sst_size});
 * {@link Settings#fromMap} reports the full name.
 */
public final class InvalidSettingException extends SlateDbException {
    private static final long serialVersionUID = 1L;

    /** The setting's name. */
    private final String setting;
    /** The offending value as written, or null. */
    private final String value;
    /** What is wrong. */
    private final String reason;

    /**
     * @param setting the setting's name
     * @param value   the offending value as written, or {@code null} when there is none to show
     * @param reason  what is wrong, e.g. {@code must be at least 1}
     */
    public InvalidSettingException(String setting, String value, String reason) {
        this(setting, value, reason, message(setting, value, reason), null);
    }

    private InvalidSettingException(String setting, String value, String reason, String message, Throwable cause) {
        super(ErrorKind.INVALID, message, cause);
        this.setting = Objects.requireNonNull(setting, "setting");
        this.value = value;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The error for a name that is not a setting. */
    public static InvalidSettingException unknown(String setting) {
        return new InvalidSettingException(setting, null, "unknown setting", "unknown setting \"" + setting + "\"",
                null);
    }

    /** The setting's name. */
    public String setting() {
        return setting;
    }

    /** The offending value as written, or {@code null}. */
    public String value() {
        return value;
    }

    /** What is wrong with the setting. */
    public String reason() {
        return reason;
    }

    /** The same error for the setting nested under {@code prefix}, e.g. {@code compactor_options}. */
    InvalidSettingException under(String prefix) {
        String name = prefix + "." + setting;
        return new InvalidSettingException(name, value, reason, message(name, value, reason), this);
    }

    private static String message(String setting, String value, String reason) {
        return "invalid setting " + setting + (value == null ? "" : "=\"" + value + "\"") + ": " + reason;
    }
}
