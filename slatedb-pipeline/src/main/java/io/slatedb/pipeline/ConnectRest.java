package io.slatedb.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/** The few calls of the Connect REST API the pipeline makes. */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    /** A client of the worker at {@code base} (e.g. {@code http://localhost:8083}). */
    public ConnectRest(URI base) {
        this.base = base;
    }

    /** Creates or updates the connector {@code name} ({@code PUT /connectors/<name>/config}). */
    public void putConnector(String name, Map<String, String> config) {
        send("PUT", "/connectors/" + name + "/config", config);
    }

    /** Restarts task {@code task} of connector {@code name}. */
    public void restartTask(String name, int task) {
        send("POST", "/connectors/" + name + "/tasks/" + task + "/restart", null);
    }

    /** The connector's status, or null while the worker has none. */
    public JsonNode status(String name) {
        HttpResponse<String> response = request("GET", "/connectors/" + name + "/status", null);
        return response.statusCode() == 200 ? read(response.body()) : null;
    }

    /** Whether the connector and exactly {@code tasks} tasks are RUNNING. */
    public boolean running(String name, int tasks) {
        JsonNode status = status(name);
        if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())) {
            return false;
        }
        JsonNode list = status.path("tasks");
        if (list.size() != tasks) {
            return false;
        }
        for (JsonNode task : list) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The {@code worker_id}-less state of task {@code task} (e.g. RUNNING, FAILED), or null. */
    public String taskState(String name, int task) {
        JsonNode status = status(name);
        if (status == null) {
            return null;
        }
        for (JsonNode node : status.path("tasks")) {
            if (node.path("id").asInt() == task) {
                return node.path("state").asText();
            }
        }
        return null;
    }

    /** Waits until the connector and its {@code tasks} tasks run. */
    public void awaitRunning(String name, int tasks, Duration timeout) throws TimeoutException {
        Await.until("connector " + name + " and " + tasks + " task(s) RUNNING", timeout, () -> running(name, tasks));
    }

    private void send(String method, String path, Object body) {
        HttpResponse<String> response = request(method, path, body);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    private HttpResponse<String> request(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .method(method, publisher).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
