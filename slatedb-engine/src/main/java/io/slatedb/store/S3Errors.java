package io.slatedb.store;

import io.netty.handler.codec.PrematureChannelClosureException;
import io.slatedb.util.Futures;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.RetryableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Turns AWS SDK failures into the store's exception types. The rules follow what S3 documents and what
 * the SDK's own retry policy treats as retryable: 404 is a missing object (unless the bucket is
 * missing), 412 is a lost condition, throttling, 5xx, request timeouts, conflicting concurrent
 * conditional writes (409) and I/O failures are transient, and every other failure is permanent.
 */
final class S3Errors {

    /** Error codes that mean "try again later" whatever their HTTP status. */
    private static final Set<String> TRANSIENT_CODES = Set.of(
            "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
            "RequestLimitExceeded", "TooManyRequestsException", "RequestTimeout", "RequestTimeoutException",
            "InternalError", "ServiceUnavailable", "PriorRequestNotComplete",
            // 409s raised by concurrent conditional writes to one key; the retry resolves them (slatedbputid).
            "ConditionalRequestConflict", "OperationAborted");

    /** How the SDK's checksum-validating body subscriber starts its failure message. */
    private static final String CHECKSUM_MISMATCH = "Data read has a different checksum than expected";

    private S3Errors() {
    }

    /** The store exception for a failed put under {@code mode}. */
    static ObjectStoreException forPut(Throwable failure, String path, PutMode mode, String key) {
        Throwable error = Futures.unwrap(failure);
        if (status(error) == 412) {
            return mode instanceof PutMode.Create
                    ? new ObjectAlreadyExistsException(path, error)
                    : new PreconditionFailedException(path, error);
        }
        return forOperation(error, path, "put " + key);
    }

    /** The store exception for a failed copy: a missing object is the source, anything else the target. */
    static ObjectStoreException forCopy(Throwable failure, String fromPath, String toPath, String what) {
        Throwable error = Futures.unwrap(failure);
        if (error instanceof ObjectStoreException e) {
            return e;
        }
        if (status(error) == 404 && !"NoSuchBucket".equals(errorCode(error))) {
            return new ObjectNotFoundException(fromPath, error);
        }
        return forOperation(error, toPath, what);
    }

    /** The store exception for a failed operation on {@code path}; {@code what} says what was being done. */
    static ObjectStoreException forOperation(Throwable failure, String path, String what) {
        Throwable error = Futures.unwrap(failure);
        if (error instanceof ObjectStoreException e) {
            return e;
        }
        if (error instanceof SdkServiceException service) {
            int status = service.statusCode();
            String code = errorCode(service);
            String message = what + " failed: HTTP " + status + (code == null ? "" : " " + code)
                    + ": " + service.getMessage();
            if (status == 404 && !"NoSuchBucket".equals(code)) {
                return new ObjectNotFoundException(path, service);
            }
            if (status == 412) {
                return new PreconditionFailedException(path, service);
            }
            if (isTransient(service, status, code)) {
                return new TransientObjectStoreException(path, message, service);
            }
            return new PermanentObjectStoreException(path, message, service);
        }
        if (isChecksumMismatch(error)) {
            return new ObjectChecksumException(path, what + " returned bytes that fail the object's stored checksum: "
                    + error.getMessage(), error);
        }
        if (isTransientClientFailure(error)) {
            return new TransientObjectStoreException(path, what + " failed: " + error, error);
        }
        return new PermanentObjectStoreException(path, what + " failed: " + error, error);
    }

    /**
     * Whether the SDK found that the bytes of a GET fail the checksum S3 returned for the object (it
     * reports that only as a client exception with this message).
     */
    static boolean isChecksumMismatch(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SdkClientException && t.getMessage() != null
                    && t.getMessage().startsWith(CHECKSUM_MISMATCH)) {
                return true;
            }
        }
        return false;
    }

    /** Whether S3 refused a ranged GET with 416 Range Not Satisfiable. */
    static boolean isRangeNotSatisfiable(Throwable failure) {
        return status(Futures.unwrap(failure)) == 416;
    }

    private static boolean isTransient(SdkServiceException service, int status, String code) {
        if (status >= 500 || status == 429 || status == 408) {
            return true;
        }
        if (code != null && TRANSIENT_CODES.contains(code)) {
            return true;
        }
        if (service instanceof AwsServiceException aws) {
            // The SDK retries clock-skew errors after correcting its clock offset; so can the layer above.
            return aws.isThrottlingException() || aws.isClockSkewException();
        }
        return service.isThrottlingException();
    }

    /**
     * Whether a failure that never got an HTTP answer may go away: broken, reset, closed or refused
     * connections and timeouts do, while misconfiguration (say, no credentials could be found) does not.
     * The SDK wraps them in an {@code SdkClientException}, so the whole cause chain is searched. Most
     * arrive as {@link IOException}s (the Netty client reports a connection closed during a request, or
     * a read or write timeout, as one); the Netty exceptions it can let through unwrapped are listed too.
     */
    static boolean isTransientClientFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException
                    || t instanceof RetryableException || t instanceof ApiCallTimeoutException
                    || t instanceof ApiCallAttemptTimeoutException
                    || t instanceof io.netty.handler.timeout.TimeoutException
                    || t instanceof PrematureChannelClosureException) {
                return true;
            }
        }
        return false;
    }

    private static int status(Throwable error) {
        return error instanceof SdkServiceException service ? service.statusCode() : -1;
    }

    private static String errorCode(Throwable error) {
        if (error instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return null;
    }
}
