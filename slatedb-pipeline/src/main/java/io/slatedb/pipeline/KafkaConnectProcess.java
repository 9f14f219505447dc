package io.slatedb.pipeline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Kafka broker (KRaft) and a Connect worker with the SlateDB connectors, running in a child JVM with its
 * own class path (Kafka 4.3.1; this JVM runs Flink's Kafka connector on kafka-clients 4.2). The class path
 * is the one the module {@code slatedb-pipeline-kafka} wrote into its jar at build time.
 *
 * <p>Everything the child prints goes to a log file: its output is drained all the time, since a child
 * whose pipe fills blocks in its logging. {@link #close()} asks it to stop, and kills it if it does not.
 */
public final class KafkaConnectProcess implements AutoCloseable {

    static final String MAIN_CLASS = "io.slatedb.pipeline.kafka.KafkaConnectRuntime";
    static final String CLASSPATH_RESOURCE = "io/slatedb/pipeline/kafka/runtime.classpath";
    static final String LOG_CONFIG_RESOURCE = "slatedb-pipeline-kafka-log4j2.properties";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String bootstrapServers;
    private final URI connectUrl;
    private final Path log;

    private KafkaConnectProcess(Process process, String bootstrapServers, URI connectUrl, Path log) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.connectUrl = connectUrl;
        this.log = log;
    }

    /**
     * Starts the child and waits until its broker and worker are up.
     *
     * @param log the file the child's output goes to (created or replaced)
     * @param timeout how long to wait for the child to report its endpoints
     * @param workerProps extra worker properties ({@code name=value})
     */
    public static KafkaConnectProcess start(Path log, Duration timeout, String... workerProps) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-Dlog4j2.configurationFile=" + LOG_CONFIG_RESOURCE);
        command.add("-cp");
        command.add(childClasspath());
        command.add(MAIN_CLASS);
        command.addAll(List.of(workerProps));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> drain(process.getInputStream(), log, ready), "kafka-child-output");
        drain.setDaemon(true);
        drain.start();
        process.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException(
                "the Kafka child JVM exited with " + process.exitValue() + " before it was ready; see " + log)));
        try {
            String line = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            String bootstrap = field(line, "bootstrap=");
            URI connect = new URI(field(line, "connect="));
            return new KafkaConnectProcess(process, bootstrap, connect, log);
        } catch (TimeoutException | InterruptedException | ExecutionException | URISyntaxException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the Kafka child JVM did not start within " + timeout + "; see " + log, e);
        }
    }

    /** The broker's bootstrap servers. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The Connect worker's REST URL, e.g. {@code http://localhost:40123}. */
    public URI connectUrl() {
        return connectUrl;
    }

    /** The file the child's output goes to. */
    public Path log() {
        return log;
    }

    /** Stops the worker and the broker (killing the child if it does not stop in time). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try (OutputStream in = process.getOutputStream();
             PrintWriter writer = new PrintWriter(in, true, StandardCharsets.UTF_8)) {
            writer.println("stop");
        } catch (IOException e) {
            // the child is going away anyway
        }
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The child's class path: its own jar (or classes directory) and the dependencies the build listed. */
    static String childClasspath() {
        URL resource = KafkaConnectProcess.class.getClassLoader().getResource(CLASSPATH_RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("the module slatedb-pipeline-kafka is not on the class path (no "
                    + CLASSPATH_RESOURCE + "); build it with Maven first");
        }
        String own;
        String dependencies;
        try (InputStream in = resource.openStream()) {
            dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            String url = resource.toString();
            if (url.startsWith("jar:")) {
                own = Paths.get(new URI(url.substring("jar:".length(), url.indexOf("!/")))).toString();
            } else {
                Path file = Paths.get(resource.toURI());
                // .../classes/io/slatedb/pipeline/kafka/runtime.classpath -> .../classes
                own = file.getParent().getParent().getParent().getParent().getParent().toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return own + java.io.File.pathSeparator + dependencies;
    }

    private static void drain(InputStream output, Path log, CompletableFuture<String> ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
             PrintWriter writer = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!ready.isDone() && line.startsWith("READY ")) {
                    ready.complete(line);
                }
                writer.println(line);
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    private static String field(String line, String name) {
        int start = line.indexOf(name);
        if (start < 0) {
            throw new IllegalStateException("no " + name + " in the child's line: " + line);
        }
        start += name.length();
        int end = line.indexOf(' ', start);
        return end < 0 ? line.substring(start) : line.substring(start, end);
    }
}
