package io.slatedb.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the operations of the running phase and, when enabled, redraws a progress bar on one stderr
 * line a few times a second (and erases it when the phase ends). Counting is cheap enough to do on
 * every operation whether a bar is drawn or not.
 */
final class BenchProgress implements AutoCloseable {

    private static final int WIDTH = 30;
    private static final long REDRAW_MILLIS = 200;

    private final PrintWriter err;
    private final boolean enabled;
    private final LongAdder done = new LongAdder();
    private volatile String label = "";
    private volatile long total;
    private volatile long phaseStartNanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread drawer;

    BenchProgress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
        if (enabled) {
            drawer = new Thread(this::drawUntilClosed, "bench-progress");
            drawer.setDaemon(true);
            drawer.start();
        } else {
            drawer = null;
        }
    }

    /** Starts counting a phase of {@code total} operations, e.g. {@code "slatedb-jvm fillrandom"}. */
    void phase(String label, long total) {
        done.reset();
        this.total = total;
        this.phaseStartNanos = System.nanoTime();
        this.label = label;
    }

    /** Counts one operation of the running phase. */
    void increment() {
        done.increment();
    }

    /** Prints a one-line note on stderr (above the bar, when one is drawn). */
    void note(String line) {
        synchronized (err) {
            if (enabled) {
                err.print("\r\033[K");
            }
            err.println(line);
            err.flush();
        }
    }

    private void drawUntilClosed() {
        try {
            while (!stopped.await(REDRAW_MILLIS, TimeUnit.MILLISECONDS)) {
                draw();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void draw() {
        String current = label;
        if (current.isEmpty()) {
            return; // nothing started yet
        }
        if (total == 0) {
            synchronized (err) {
                err.print("\r\033[K" + current + " ...");
                err.flush();
            }
            return;
        }
        long count = done.sum();
        long of = Math.max(1, total);
        int filled = (int) Math.min(WIDTH, count * WIDTH / of);
        double seconds = Math.max(1e-9, (System.nanoTime() - phaseStartNanos) / 1e9);
        String line = String.format("\r\033[K[%s%s] %3d%% %s %d/%d %.0f ops/s", "#".repeat(filled),
                " ".repeat(WIDTH - filled), Math.min(100, count * 100 / of), current, count, total, count / seconds);
        synchronized (err) {
            err.print(line);
            err.flush();
        }
    }

    /** Stops drawing and erases the bar. */
    @Override
    public void close() {
        if (drawer != null) {
            stopped.countDown();
            try {
                drawer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (err) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
