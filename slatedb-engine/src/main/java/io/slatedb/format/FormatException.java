package io.slatedb.format;

/**
 * Bytes do not decode under SlateDB's format rules (truncated, bad checksum, unknown code, impossible
 * length). Thrown by the low-level decoders, which do not know which object they are reading; the
 * reader of an object turns it into an {@link io.slatedb.CorruptObjectException} naming the object.
 */
public final class FormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
