package org.infrakit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the runtime as users start it: through {@code bin/infrakit-runtime} with
 * {@code INFRAKIT_SKIP_BUILD=1}, a new {@code INFRAKIT_HOME} under /tmp and standard input from
 * {@code /dev/null} (so headless, as a service). The script's class-data archive is made once per
 * set of JVM options by a first, untimed start, and every later home gets a copy of it, as any
 * start after the first has.
 */
final class RuntimeLauncher implements AutoCloseable {
    /** The default of {@code INFRAKIT_JAVA_OPTS} in the launch script: {@code ${INFRAKIT_JAVA_OPTS--…}}. */
    private static final Pattern DEFAULT_OPTS = Pattern.compile("\\$\\{INFRAKIT_JAVA_OPTS-(-[^}]*)}");

    /**
     * JVM options for the runtime.
     *
     * @param label how the report names it
     * @param javaOpts the value of {@code INFRAKIT_JAVA_OPTS}, or {@code null} for the script's default
     */
    record Variant(String label, String javaOpts) {
        /** The options the launch script ships with. */
        static final Variant SHIPPED = new Variant("shipped options", null);
        /** The JVM's own defaults (tiered JIT with C2, G1): {@code INFRAKIT_JAVA_OPTS=}. */
        static final Variant JVM_DEFAULTS = new Variant("JVM defaults (`INFRAKIT_JAVA_OPTS=`)", "");
    }

    private final Path script;
    private final ScratchDir primes;
    private final Map<String, Path> primed = new HashMap<>();
    private final String shippedOpts;

    /**
     * @param root the repository root
     * @throws IOException when the script is missing or says no default options
     */
    RuntimeLauncher(Path root) throws IOException {
        script = root.resolve("bin/infrakit-runtime");
        if (!Files.isExecutable(script)) {
            throw new IOException("the launch script " + script + " is missing or not executable");
        }
        Matcher m = DEFAULT_OPTS.matcher(Files.readString(script, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IOException(script + " has no default INFRAKIT_JAVA_OPTS (${INFRAKIT_JAVA_OPTS--…})");
        }
        shippedOpts = m.group(1).trim();
        primes = new ScratchDir("ikbench-primes");
    }

    /** @return the JVM options the launch script ships with, e.g. {@code -XX:+UseSerialGC …} */
    String shippedOptions() {
        return shippedOpts;
    }

    /**
     * @param v a variant
     * @return the JVM options it runs with
     */
    String options(Variant v) {
        return v.javaOpts() == null ? shippedOpts : v.javaOpts();
    }

    /**
     * Starts the runtime in a new home.
     *
     * @param v the JVM options
     * @param home an empty directory to be its {@code INFRAKIT_HOME}
     * @param extraOpts more JVM options (e.g. a flight recording), or empty
     * @param timeout the longest wait for the untimed first start that makes the archive
     * @return the process, just started
     * @throws Exception when it cannot be started
     */
    RuntimeProcess start(Variant v, Path home, String extraOpts, Duration timeout) throws Exception {
        Path cds = prime(v, timeout);
        if (cds != null) {
            copyTree(cds, home.resolve("cds"));
        }
        return RuntimeProcess.start(List.of(script.toString()), home, env(v, extraOpts), true);
    }

    private Map<String, String> env(Variant v, String extraOpts) {
        Map<String, String> env = new HashMap<>();
        env.put("INFRAKIT_SKIP_BUILD", "1");
        String opts = (options(v) + " " + extraOpts).trim();
        if (v.javaOpts() != null || !extraOpts.isBlank()) {
            env.put("INFRAKIT_JAVA_OPTS", opts);
        }
        return env;
    }

    /** The class-data archive directory of a variant, made by a first start; {@code null} when none was made. */
    private Path prime(Variant v, Duration timeout) throws Exception {
        String key = options(v);
        if (primed.containsKey(key)) {
            return primed.get(key);
        }
        Path home = primes.dir("prime-" + primed.size());
        Progress.say("runtime (" + v.label() + "): a first start, untimed, for its class-data archive");
        try (RuntimeProcess rt = RuntimeProcess.start(List.of(script.toString()), home, env(v, ""), true);
                SocketProbe probe = new SocketProbe()) {
            awaitSockets(rt, probe, timeout);
        }
        Path cds = home.resolve("cds");
        Path kept = Files.isDirectory(cds) ? cds : null;
        primed.put(key, kept);
        return kept;
    }

    /**
     * @return nanoseconds from the spawn to the three default sockets answering
     * @throws IllegalStateException with the runtime's last console lines, when they do not answer in time
     */
    static long awaitSockets(RuntimeProcess rt, SocketProbe probe, Duration timeout) throws InterruptedException {
        List<Path> sockets = RuntimeBenchmark.DEFAULT_SOCKETS.stream().map(rt.plugins()::resolve).toList();
        try {
            return probe.awaitAll(sockets, rt.startNanos(), timeout);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; " + rt.consoleTail(), e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Override
    public void close() {
        primes.close();
    }
}
