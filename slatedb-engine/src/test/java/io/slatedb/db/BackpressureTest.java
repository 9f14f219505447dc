package io.slatedb.db;

import io.slatedb.CloseReason;
import io.slatedb.SlateDbException;
import io.slatedb.util.Futures;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackpressureTest {
    private final AtomicLong memory = new AtomicLong();
    private final Backpressure backpressure = new Backpressure(100, memory::get);

    @Test
    void admitsAtOnceUnderTheLimit() {
        memory.set(99);
        assertTrue(backpressure.admit().isDone());
        assertEquals(0, backpressure.stalls());
    }

    @Test
    void waitsAtTheLimitAndAdmitsInArrivalOrderOnRelease() {
        memory.set(100);
        CompletableFuture<Void> first = backpressure.admit();
        memory.set(50);
        // Memory is free again, but a later arrival still queues behind the waiting one.
        CompletableFuture<Void> second = backpressure.admit();
        assertFalse(first.isDone());
        assertFalse(second.isDone());
        StringBuilder order = new StringBuilder();
        first.thenRun(() -> {
            order.append('1');
            memory.set(100); // the first write fills memory again
        });
        second.thenRun(() -> order.append('2'));
        backpressure.release();
        assertEquals("1", order.toString());
        assertFalse(second.isDone());
        memory.set(0);
        backpressure.release();
        assertEquals("12", order.toString());
        assertEquals(2, backpressure.stalls());
    }

    @Test
    void failureFailsWaitingAndLaterWrites() {
        memory.set(1000);
        CompletableFuture<Void> waiting = backpressure.admit();
        SlateDbException closed = SlateDbException.closed(CloseReason.FENCED, "fenced");
        backpressure.fail(closed);
        assertSame(closed, assertThrows(SlateDbException.class, () -> Futures.join(waiting)));
        assertSame(closed, assertThrows(SlateDbException.class, () -> Futures.join(backpressure.admit())));
    }
}
