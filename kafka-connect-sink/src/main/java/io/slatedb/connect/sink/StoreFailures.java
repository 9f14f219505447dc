package io.slatedb.connect.sink;

import io.slatedb.CloseReason;
import io.slatedb.ErrorKind;
import io.slatedb.SlateDbException;
import io.slatedb.store.PermanentObjectStoreException;
import io.slatedb.store.TransientObjectStoreException;

/** What a failure of a database call means for the task. */
enum StoreFailures {
    /** Another writer opened the database: this handle is done, the database itself is fine. */
    FENCED,
    /** The store failed for now (an outage, a timeout): reopen the database and try again later. */
    TRANSIENT,
    /** Retrying will not help (refused access, corrupt data, a bug): the task fails. */
    PERMANENT;

    static StoreFailures classify(Throwable failure) {
        boolean sawTransient = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PermanentObjectStoreException) {
                return PERMANENT;
            }
            if (t instanceof TransientObjectStoreException) {
                sawTransient = true;
            }
            if (t instanceof SlateDbException e) {
                if (e.kind() == ErrorKind.CLOSED && e.closeReason() == CloseReason.FENCED) {
                    return FENCED;
                }
                if (e.kind() == ErrorKind.UNAVAILABLE) {
                    sawTransient = true;
                }
                if (e.kind() == ErrorKind.INVALID || e.kind() == ErrorKind.DATA || e.kind() == ErrorKind.INTERNAL) {
                    return PERMANENT;
                }
            }
        }
        return sawTransient ? TRANSIENT : PERMANENT;
    }
}
