package io.slatedb.store;

import io.slatedb.util.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Retries the operations of another store that fail with a retryable {@link ObjectStoreException}
 * (timeouts, throttling, server errors), waiting with exponential backoff and full jitter as set by a
 * {@link RetryPolicy}. Not-found, already-exists, precondition-failed and permanent failures are
 * returned at once.
 *
 * <p><b>Ambiguous conditional puts.</b> When a put times out, it is unknown whether it was stored. For
 * an unconditional put that does not matter: it is simply sent again. A conditional put sent again
 * would meet its own earlier write and report a conflict that never happened (a writer would think it
 * has been fenced). So, as SlateDB does, every conditional put carries the user-metadata entry
 * {@value #PUT_ID_METADATA} with a fresh id; if a retry (never the first attempt) reports
 * {@link ObjectAlreadyExistsException} or {@link PreconditionFailedException}, this store reads the
 * object's metadata, and if it carries this put's id the earlier attempt won and the put succeeds.
 *
 * <p>The backoff waits run on a {@link DelayScheduler}, never on a sleeping thread. Closing this store
 * closes the wrapped store and the scheduler it created, and fails the operations waiting to retry.
 */
public final class RetryingObjectStore implements ObjectStore {

    /** The user-metadata name of the id that tags every conditional put. */
    public static final String PUT_ID_METADATA = "slatedbputid";

    private static final Logger LOG = LoggerFactory.getLogger(RetryingObjectStore.class);
    /** Retries up to this many attempts are routine and logged at debug; later ones at warn. */
    private static final int QUIET_ATTEMPTS = 3;

    private final ObjectStore inner;
    private final RetryPolicy policy;
    private final DelayScheduler scheduler;
    private final boolean ownsScheduler;
    private final RandomGenerator random;
    private final Supplier<String> putIds;
    // Operations that are waiting out a backoff, so that close() can fail them.
    private final Set<Retry<?>> waiting = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** Retries {@code inner}'s operations with {@link RetryPolicy#DEFAULT}. */
    public RetryingObjectStore(ObjectStore inner) {
        this(inner, RetryPolicy.DEFAULT);
    }

    /** Retries {@code inner}'s operations with {@code policy}, waiting on a scheduler thread of its own. */
    public RetryingObjectStore(ObjectStore inner, RetryPolicy policy) {
        this(inner, policy, DelayScheduler.create("slatedb-store-retry"), true, RandomGenerator.getDefault(),
                () -> UUID.randomUUID().toString());
    }

    /**
     * Retries {@code inner}'s operations with {@code policy}, timing backoff with {@code scheduler}
     * (which stays open when this store closes) and drawing jitter from {@code random}. Tests use this
     * to run the backoff on a virtual clock.
     */
    public RetryingObjectStore(ObjectStore inner, RetryPolicy policy, DelayScheduler scheduler,
                               RandomGenerator random) {
        this(inner, policy, scheduler, false, random, () -> UUID.randomUUID().toString());
    }

    private RetryingObjectStore(ObjectStore inner, RetryPolicy policy, DelayScheduler scheduler,
                                boolean ownsScheduler, RandomGenerator random, Supplier<String> putIds) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ownsScheduler = ownsScheduler;
        this.random = Objects.requireNonNull(random, "random");
        this.putIds = putIds;
    }

    /** The retry policy of this store. */
    public RetryPolicy policy() {
        return policy;
    }

    @Override
    public CompletableFuture<PutResult> put(String path, byte[] data, PutOptions options) {
        Objects.requireNonNull(options, "options");
        if (!options.mode().conditional()) {
            return retry("put", path, () -> inner.put(path, data, options));
        }
        // A put already tagged by an outer retrying store (a caller's retrying store under a handle's, with a
        // wrapper between them) keeps its id: the outer store recognises its own earlier attempt by that id,
        // so a new id here would make a retried put that had succeeded look like a lost race (a fence).
        String outerId = options.userMetadata().get(PUT_ID_METADATA);
        String putId = outerId != null ? outerId : putIds.get();
        PutOptions tagged = outerId != null ? options : options.withMetadata(PUT_ID_METADATA, putId);
        return new Retry<>("put", path, () -> inner.put(path, data, tagged)) {
            @Override
            CompletableFuture<PutResult> onRetriedFailure(ObjectStoreException error) {
                if (error instanceof PreconditionFailedException conflict) {
                    return resolveConflict(path, putId, conflict);
                }
                return null;
            }
        }.start();
    }

    @Override
    public CompletableFuture<GetResult> get(String path) {
        return retry("get", path, () -> inner.get(path));
    }

    @Override
    public CompletableFuture<GetResult> get(String path, ByteRange range) {
        return retry("get", path, () -> inner.get(path, range));
    }

    /**
     * The wrapped store's immediate reads, not retried: they answer on the calling thread, where a backoff
     * must not wait. A caller retries a {@link TransientObjectStoreException} through {@link #get}.
     */
    @Override
    public Optional<ImmutableReads> immutableReads() {
        return inner.immutableReads();
    }

    @Override
    public CompletableFuture<ObjectMetadata> head(String path) {
        return retry("head", path, () -> inner.head(path));
    }

    @Override
    public CompletableFuture<ListPage> list(String prefix, String startAfter, int maxKeys) {
        return retry("list", prefix, () -> inner.list(prefix, startAfter, maxKeys));
    }

    @Override
    public CompletableFuture<Void> delete(String path) {
        return retry("delete", path, () -> inner.delete(path));
    }

    @Override
    public CompletableFuture<Void> copy(String fromPath, String toPath) {
        return retry("copy", toPath, () -> inner.copy(fromPath, toPath));
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            inner.close();
        } finally {
            if (ownsScheduler) {
                scheduler.close();
            }
            for (Retry<?> retry : waiting) {
                retry.failClosed();
            }
        }
    }

    @Override
    public String toString() {
        return "RetryingObjectStore[" + inner + "]";
    }

    private <T> CompletableFuture<T> retry(String operation, String path, Supplier<CompletableFuture<T>> attempt) {
        return new Retry<>(operation, path, attempt).start();
    }

    /**
     * A conditional put that was retried lost its condition: decide from the stored put id whether an
     * earlier attempt of this very put is what it lost to.
     */
    private CompletableFuture<PutResult> resolveConflict(String path, String putId, PreconditionFailedException conflict) {
        return retry("head", path, () -> inner.head(path)).handle((metadata, headError) -> {
            if (headError == null) {
                if (putId.equals(metadata.userMetadata().get(PUT_ID_METADATA))) {
                    LOG.debug("Conditional put of {} to {} was retried after it had succeeded; treating as success",
                            path, inner.describe());
                    return CompletableFuture.completedFuture(new PutResult(metadata.etag()));
                }
                return CompletableFuture.<PutResult>failedFuture(conflict);
            }
            Throwable cause = Futures.unwrap(headError);
            if (cause instanceof ObjectNotFoundException) {
                // Nothing is stored there now, so whatever made the put fail was not this put.
                return CompletableFuture.<PutResult>failedFuture(conflict);
            }
            TransientObjectStoreException unknown = new TransientObjectStoreException(path,
                    "conditional put of " + path + " was retried and lost its condition, and reading the object"
                            + " to see whether an earlier attempt had succeeded failed: " + cause.getMessage(), cause);
            unknown.addSuppressed(conflict);
            return CompletableFuture.<PutResult>failedFuture(unknown);
        }).thenCompose(future -> future);
    }

    private ObjectStoreException closedError(String path, Throwable lastError) {
        return new PermanentObjectStoreException(path, "the object store " + inner.describe()
                + " was closed while an operation waited to be retried", lastError);
    }

    private static boolean isRetryable(Throwable error) {
        // Spelled out, not only retryable(): these outcomes are answers, and repeating the call cannot change them.
        if (error instanceof ObjectNotFoundException || error instanceof PreconditionFailedException
                || error instanceof PermanentObjectStoreException || error instanceof ObjectChecksumException) {
            return false;
        }
        return error instanceof ObjectStoreException e && e.retryable();
    }

    /** One operation and its attempts. */
    private class Retry<T> {
        private final String operation;
        private final String path;
        private final Supplier<CompletableFuture<T>> attempt;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private long startNanos;
        private int attempts;
        private volatile Throwable lastError;

        Retry(String operation, String path, Supplier<CompletableFuture<T>> attempt) {
            this.operation = operation;
            this.path = path;
            this.attempt = attempt;
        }

        /**
         * What to do when an attempt after the first fails with {@code error}: a future for the outcome,
         * or null to handle it like any other failure.
         */
        CompletableFuture<T> onRetriedFailure(ObjectStoreException error) {
            return null;
        }

        CompletableFuture<T> start() {
            startNanos = scheduler.nanoTime();
            runAttempt();
            return result;
        }

        private void runAttempt() {
            attempts++;
            CompletableFuture<T> outcome;
            try {
                outcome = attempt.get();
            } catch (RuntimeException e) {
                outcome = CompletableFuture.failedFuture(e);
            }
            outcome.whenComplete(this::onOutcome);
        }

        private void onOutcome(T value, Throwable failure) {
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable error = Futures.unwrap(failure);
            if (attempts > 1 && error instanceof ObjectStoreException storeError) {
                CompletableFuture<T> resolved = onRetriedFailure(storeError);
                if (resolved != null) {
                    resolved.whenComplete((v, e) -> {
                        if (e == null) {
                            result.complete(v);
                        } else {
                            result.completeExceptionally(Futures.unwrap(e));
                        }
                    });
                    return;
                }
            }
            if (!isRetryable(error)) {
                result.completeExceptionally(error);
                return;
            }
            if (attempts >= policy.maxAttempts()) {
                LOG.warn("{} {} on {} failed after {} attempts; giving up: {}", operation, path, inner.describe(),
                        attempts, error.getMessage());
                result.completeExceptionally(error);
                return;
            }
            Duration delay = policy.backoff(attempts, random);
            if (pastDeadline(delay)) {
                LOG.warn("{} {} on {} failed after {} attempts and its retry deadline of {} would pass; giving up: {}",
                        operation, path, inner.describe(), attempts, policy.deadline(), error.getMessage());
                result.completeExceptionally(error);
                return;
            }
            log(error, delay);
            lastError = error;
            scheduleRetry(delay);
        }

        private boolean pastDeadline(Duration delay) {
            if (policy.deadline() == null) {
                return false;
            }
            long elapsed = scheduler.nanoTime() - startNanos;
            return elapsed + delay.toNanos() > policy.deadline().toNanos();
        }

        private void scheduleRetry(Duration delay) {
            if (closed.get()) {
                failClosed();
                return;
            }
            waiting.add(this);
            scheduler.after(delay).whenComplete((unused, timerError) -> {
                waiting.remove(this);
                if (result.isDone()) {
                    return; // failed by close() meanwhile
                }
                if (timerError != null || closed.get()) {
                    failClosed();
                    return;
                }
                runAttempt();
            });
            // close() may have swept the waiting set just before the add above.
            if (closed.get()) {
                failClosed();
            }
        }

        void failClosed() {
            result.completeExceptionally(closedError(path, lastError));
        }

        private void log(Throwable error, Duration delay) {
            if (attempts < QUIET_ATTEMPTS) {
                LOG.debug("{} {} on {} failed (attempt {}), retrying in {} ms: {}", operation, path,
                        inner.describe(), attempts, delay.toMillis(), error.getMessage());
            } else {
                LOG.warn("{} {} on {} failed (attempt {}), retrying in {} ms: {}", operation, path,
                        inner.describe(), attempts, delay.toMillis(), error.getMessage());
            }
        }
    }
}
