package io.slatedb;

import java.util.Objects;

/**
 * A stored object could not be decoded: it is truncated, fails its checksum, has an unknown version,
 * or holds values that break the format's rules. Always of kind {@link ErrorKind#DATA}, and always
 * names the object, so an operator can find it.
 */
public class CorruptObjectException extends SlateDbException {
    private static final long serialVersionUID = 1L;

    private final String objectPath;

    public CorruptObjectException(String objectPath, String problem) {
        this(objectPath, problem, null);
    }

    public CorruptObjectException(String objectPath, String problem, Throwable cause) {
        super(ErrorKind.DATA, "corrupt object " + Objects.requireNonNull(objectPath, "objectPath") + ": " + problem,
                cause);
        this.objectPath = objectPath;
    }

    /** The path of the object (relative to its store) that failed to decode. */
    public String objectPath() {
        return objectPath;
    }
}
