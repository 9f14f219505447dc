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
 * answers S3Proxy will not give (throttling, 5xx, 409 conflicts).
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

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
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

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
