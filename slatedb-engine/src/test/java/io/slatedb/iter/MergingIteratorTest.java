package io.slatedb.iter;

import io.slatedb.sst.RowEntry;
import io.slatedb.sst.RowIterator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergingIteratorTest {
    private static final ExecutorService COMPLETIONS = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "merge-test-completions");
        thread.setDaemon(true);
        return thread;
    });

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A row and the source it was given to, to check the order of ties. */
    private record Tagged(RowEntry row, int source) {
    }

    @Provide
    Arbitrary<List<Tagged>> taggedRows() {
        Arbitrary<RowEntry> rows = net.jqwik.api.Combinators.combine(
                Arbitraries.strings().withChars("abc").ofMinLength(1).ofMaxLength(3),
                Arbitraries.longs().between(0, 6))
                .as((key, seq) -> RowEntry.value(bytes(key), new byte[0], seq));
        return net.jqwik.api.Combinators.combine(rows, Arbitraries.integers().between(0, 4))
                .as(Tagged::new).list().ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 300)
    void mergesInKeyThenSeqOrderWithTiesToTheEarlierSource(@ForAll("taggedRows") List<Tagged> tagged,
                                                            @ForAll boolean async,
                                                            @ForAll @IntRange(min = 1, max = 5) int parallelism) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            // Each source holds its rows in order, with distinct (key, seq) within a source. Rows carry
            // their source in the value so ties can be told apart.
            List<List<RowEntry>> perSource = new ArrayList<>();
            for (int s = 0; s < 5; s++) {
                perSource.add(new ArrayList<>());
            }
            List<Tagged> kept = new ArrayList<>();
            for (Tagged t : tagged) {
                List<RowEntry> rows = perSource.get(t.source());
                RowEntry row = RowEntry.value(t.row().key(), new byte[] {(byte) t.source()}, t.row().seq());
                if (rows.stream().noneMatch(r -> RowEntry.KEY_ASC_SEQ_DESC.compare(r, row) == 0)) {
                    rows.add(row);
                    kept.add(new Tagged(row, t.source()));
                }
            }
            List<RowIterator> sources = new ArrayList<>();
            for (List<RowEntry> rows : perSource) {
                rows.sort(RowEntry.KEY_ASC_SEQ_DESC);
                sources.add(new ListRowIterator(rows, async ? COMPLETIONS : null));
            }
            kept.sort(Comparator.comparing(Tagged::row, RowEntry.KEY_ASC_SEQ_DESC).thenComparingInt(Tagged::source));
            List<RowEntry> expected = kept.stream().map(Tagged::row).toList();
            MergingIterator merged = new MergingIterator(sources, parallelism);
            assertEquals(expected, merged.collectRemaining().get(10, TimeUnit.SECONDS));
            assertSame(null, merged.next().get(10, TimeUnit.SECONDS));
        });
    }

    @Test
    @Timeout(30)
    void longRunsOfReadyRowsDoNotGrowTheStack() {
        List<RowEntry> even = new ArrayList<>();
        List<RowEntry> odd = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            (i % 2 == 0 ? even : odd).add(RowEntry.value(bytes(String.format("%08d", i)), new byte[0], 1));
        }
        MergingIterator merged = new MergingIterator(List.of(new ListRowIterator(even), new ListRowIterator(odd)), 4);
        VisibleRowIterator visible = new VisibleRowIterator(merged, -1L);
        assertEquals(200_000, visible.collectRemaining().join().size());
    }

    /** A source whose first row arrives only when the test says so. */
    private static final class GatedSource implements RowIterator {
        final CompletableFuture<RowEntry> first = new CompletableFuture<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public CompletableFuture<RowEntry> next() {
            return calls.getAndIncrement() == 0 ? first : CompletableFuture.completedFuture(null);
        }
    }

    @Test
    @Timeout(10)
    void firstRowsAreFetchedAtMostParallelismAtATime() {
        List<GatedSource> sources = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sources.add(new GatedSource());
        }
        CompletableFuture<RowEntry> firstRow = new MergingIterator(sources, 3).next();
        assertEquals(3, asked(sources));
        sources.get(1).first.complete(RowEntry.value(bytes("b"), new byte[0], 1));
        assertEquals(4, asked(sources));
        for (int i = 0; i < sources.size(); i++) {
            sources.get(i).first.complete(i == 5 ? RowEntry.value(bytes("a"), new byte[0], 1) : null);
        }
        assertEquals(7, asked(sources));
        assertEquals(RowEntry.value(bytes("a"), new byte[0], 1), firstRow.join());
    }

    private static int asked(List<GatedSource> sources) {
        return (int) sources.stream().filter(s -> s.calls.get() > 0).count();
    }

    @Test
    @Timeout(10)
    void aFailingSourceFailsTheMergeForGood() {
        RowIterator broken = () -> CompletableFuture.failedFuture(new IllegalStateException("broken"));
        MergingIterator merged = new MergingIterator(
                List.of(new ListRowIterator(List.of(RowEntry.value(bytes("a"), new byte[0], 1))), broken), 2);
        CompletableFuture<RowEntry> first = merged.next();
        assertTrue(first.isCompletedExceptionally());
        assertThrows(Exception.class, first::join);
        assertTrue(merged.next().isCompletedExceptionally());
    }
}
