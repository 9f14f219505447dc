package io.slatedb.store;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in S3 endpoint on 127.0.0.1 that answers every request with one canned error: a status and
 * (except for HEAD, which has no body) an S3 error document with a code. It provokes the server
 * answers S3Proxy will not give (throttling, 5xx, 409 conflicts). Or, after {@link #answerWithObject},
 * it answers GETs with one object and its {@code x-amz-checksum-crc32c} header and PUTs with 200, and
 * records the headers of every request: S3Proxy neither keeps nor returns object checksums.
 */
final class CannedS3Server implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "canned-s3");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int status = 500;
    private volatile String code = "InternalError";
    /** The object GETs answer with, or null to answer every request with the canned error. */
    private volatile byte[] object;
    private volatile String objectCrc32c;
    private final java.util.List<com.sun.net.httpserver.Headers> requests = new java.util.concurrent.CopyOnWriteArrayList<>();

    CannedS3Server() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    /** From now on, answer with {@code newStatus} and error code {@code newCode} (null: no code). */
    void answerWith(int newStatus, String newCode) {
        this.code = newCode;
        this.status = newStatus;
    }

    /**
     * From now on, answer GETs with {@code body} and, unless null, the checksum header
     * {@code x-amz-checksum-crc32c: crc32cBase64}; answer PUTs with 200.
     */
    void answerWithObject(byte[] body, String crc32cBase64) {
        this.objectCrc32c = crc32cBase64;
        this.object = body.clone();
    }

    /** The headers of the requests received so far, in order. */
    java.util.List<com.sun.net.httpserver.Headers> requests() {
        return java.util.List.copyOf(requests);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            requests.add(exchange.getRequestHeaders());
            byte[] served = object;
            if (served != null) {
                answerWithObject(exchange, served, objectCrc32c);
                return;
            }
            int answerStatus = status;
            String answerCode = code;
            exchange.getResponseHeaders().add("x-amz-request-id", "canned");
            if ("HEAD".equals(exchange.getRequestMethod()) || answerCode == null) {
                exchange.sendResponseHeaders(answerStatus, -1);
                return;
            }
            byte[] document = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + answerCode
                    + "</Code><Message>canned " + answerCode + "</Message><RequestId>canned</RequestId></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/xml");
            exchange.sendResponseHeaders(answerStatus, document.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(document);
            }
        }
    }

    private static void answerWithObject(HttpExchange exchange, byte[] served, String crc32c) throws IOException {
        exchange.getResponseHeaders().add("ETag", "\"canned\"");
        exchange.getResponseHeaders().add("Last-Modified", "Mon, 07 Dec 2026 12:00:00 GMT");
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        if (crc32c != null) {
            exchange.getResponseHeaders().add("x-amz-checksum-crc32c", crc32c);
            exchange.getResponseHeaders().add("x-amz-checksum-type", "FULL_OBJECT");
        }
        exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, served.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(served);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
