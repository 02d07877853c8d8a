package org.infrakit.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link LoadClient} running as a process of its own: {@code java -cp <this class path>
 * org.infrakit.bench.LoadClient}, the benchmark's JDK with no options (full tiered JIT), kept for
 * the whole benchmark so that it is warm.
 */
final class LoadClientProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer toClient;
    private final BufferedReader fromClient;
    private final Thread killOnExit;

    /**
     * What one load produced.
     *
     * @param calls calls made, over all connections
     * @param wallNanos from the start of the first call to the end of the last
     * @param p50Nanos median call time
     * @param p99Nanos 99th percentile of call time
     * @param bytes reply body bytes received
     * @param count occurrences of the counted text in the first reply, or -1
     */
    record Load(long calls, long wallNanos, long p50Nanos, long p99Nanos, long bytes, long count) {
        double callsPerSecond() {
            return calls / (wallNanos / 1e9);
        }
    }

    /**
     * @return the started client
     * @throws IOException when it cannot be started
     */
    static LoadClientProcess start() throws IOException {
        return new LoadClientProcess(new ProcessBuilder(command())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** @return the command line the client is started with */
    static List<String> command() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LoadClient.class.getName());
    }

    private LoadClientProcess(Process process) {
        this.process = process;
        this.toClient = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.fromClient = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.killOnExit = new Thread(process::destroyForcibly, "bench-load-client-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * @param socket the plugin socket
     * @param method the JSON-RPC method
     * @param params its params (JSON)
     * @param connections how many connections (one thread each)
     * @param callsEach calls per connection
     * @param count a text to count in the first reply, or {@code null}
     * @return what it measured
     * @throws IOException when the client failed or a call did not return a result
     */
    Load run(Path socket, String method, String params, int connections, int callsEach, String count)
            throws IOException {
        ObjectNode cmd = JSON.createObjectNode();
        cmd.put("socket", socket.toString());
        cmd.put("method", method);
        cmd.set("params", JSON.readTree(params));
        cmd.put("connections", connections);
        cmd.put("calls", callsEach);
        if (count != null) {
            cmd.put("count", count);
        }
        toClient.write(JSON.writeValueAsString(cmd) + "\n");
        toClient.flush();
        String line = fromClient.readLine();
        if (line == null) {
            throw new IOException("the load client exited");
        }
        JsonNode r = JSON.readTree(line);
        if (r.hasNonNull("error")) {
            throw new IOException(method + " over " + socket.getFileName() + ": " + r.get("error").asText());
        }
        return new Load(r.get("calls").asLong(), r.get("wallNanos").asLong(), r.get("p50Nanos").asLong(),
                r.get("p99Nanos").asLong(), r.get("bytes").asLong(), r.get("count").asLong());
    }

    /** Ends its input, so it exits; kills it if it does not. */
    @Override
    public void close() throws InterruptedException {
        try {
            toClient.close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }
}
