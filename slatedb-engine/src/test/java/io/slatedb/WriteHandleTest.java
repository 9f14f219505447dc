package io.slatedb;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriteHandleTest {

    @Test
    void carriesTheWritesSeqAndCreateTs() {
        WriteHandle handle = new WriteHandle(-2, 1_700_000_000_000L, new CompletableFuture<>());
        assertEquals(-2, handle.seq());
        assertEquals(1_700_000_000_000L, handle.createTs());
        assertEquals("WriteHandle[seq=18446744073709551614, createTs=1700000000000, durable=pending]",
                handle.toString());
    }

    @Test
    void durableCompletesWhenTheEngineMarksTheWriteDurable() throws Exception {
        CompletableFuture<Void> engine = new CompletableFuture<>();
        WriteHandle handle = new WriteHandle(1, 2, engine);
        CompletableFuture<Void> waiter = handle.durable();
        assertFalse(waiter.isDone());
        engine.complete(null);
        assertNull(waiter.get(10, TimeUnit.SECONDS));
        assertTrue(handle.durable().isDone());
        assertTrue(handle.toString().endsWith("durable=yes]"));
    }

    @Test
    void durableFailsWithTheCloseError() {
        CompletableFuture<Void> engine = new CompletableFuture<>();
        WriteHandle handle = new WriteHandle(1, 2, engine);
        CompletableFuture<Void> waiter = handle.durable();
        SlateDbException closed = SlateDbException.closed(CloseReason.FENCED, "fenced by a newer writer");
        engine.completeExceptionally(closed);
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertSame(closed, e.getCause());
        assertTrue(handle.toString().endsWith("durable=failed]"));
    }

    @Test
    void callersCannotCompleteTheEnginesFuture() {
        CompletableFuture<Void> engine = new CompletableFuture<>();
        WriteHandle handle = new WriteHandle(1, 2, engine);
        handle.durable().complete(null);
        handle.durable().cancel(true);
        assertFalse(engine.isDone());
        assertFalse(handle.durable().isDone());
    }
}
