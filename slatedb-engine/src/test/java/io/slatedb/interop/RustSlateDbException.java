package io.slatedb.interop;

/** A harness job that the Rust SlateDB (or the harness script around it) reported as failed. */
public final class RustSlateDbException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RustSlateDbException(String message) {
        super(message);
    }
}
