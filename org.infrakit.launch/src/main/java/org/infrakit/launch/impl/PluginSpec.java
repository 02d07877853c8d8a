package org.infrakit.launch.impl;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.infrakit.spi.GoDuration;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;

/**
 * A validated external plugin descriptor.
 *
 * @param name the plugin name (socket file name)
 * @param command program and arguments, never empty
 * @param directory the working directory, or {@code null} for the runtime's
 * @param environment extra environment entries, in declaration order
 * @param startTimeout how long the plugin may take to answer its first handshake
 * @param maxRestarts restart budget: at most this many restarts within {@code restartWindow}
 * @param restartWindow the budget's sliding window
 * @param backoffInitial delay before the first restart
 * @param backoffMax longest delay between restarts
 * @param stopGrace time between SIGTERM and SIGKILL
 * @param detachable left running on runtime shutdown and adopted on the next start
 */
record PluginSpec(String name, List<String> command, Path directory, Map<String, String> environment,
        Duration startTimeout, int maxRestarts, Duration restartWindow, Duration backoffInitial, Duration backoffMax,
        Duration stopGrace, boolean detachable) {

    /** Environment variables the launcher sets itself; a descriptor may not override them. */
    static final List<String> RESERVED_ENV = List.of("INFRAKIT_HOME", "INFRAKIT_PLUGINS_DIR");

    /*
     * FileInstall reads the typed syntax of a .cfg file (["a","b"], I"5", B"true") only when EVERY
     * value of the file is typed; one plain value and all of them arrive as raw strings. A raw
     * string that looks typed is almost certainly that mistake, and would otherwise become a
     * program named ["python3", or a socket named "x" with quotes.
     */
    private static final Pattern TYPED_SYNTAX = Pattern.compile("(?s)^([TILFDXSCBilfdxscb]?\".*\"|\\[.*]|\\(.*\\))$");
    /* In a command line a plain "..." is shell quoting, which gives the same word as the typed form. */
    private static final Pattern TYPED_WORDS = Pattern.compile("(?s)^([TILFDXSCBilfdxscb]\".*\"|\\[.*]|\\(.*\\))$");

    /** Canonical constructor: collections copied. */
    PluginSpec {
        command = List.copyOf(command);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }

    /**
     * @param c a descriptor as configured
     * @return the validated descriptor
     * @throws PluginException with one line naming the plugin and the member, when something is wrong
     */
    static PluginSpec from(LaunchConfig c) throws PluginException {
        String name = c.name() == null ? "" : c.name().strip();
        String prefix = "external plugin '" + name + "': ";
        if (looksTyped(name)) {
            throw new PluginException(typedProblem("external plugin: name", name));
        }
        String nameProblem = PluginRef.nameProblem(name);
        if (nameProblem != null) {
            throw new PluginException("external plugin descriptor: " + nameProblem);
        }
        List<String> command = words("command", c.command(), prefix);
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new PluginException(prefix + "command is empty: set command to the program and its arguments");
        }
        String dir = c.directory() == null ? "" : c.directory().strip();
        if (looksTyped(dir)) {
            throw new PluginException(typedProblem(prefix + "directory", dir));
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : words("environment", c.environment(), prefix)) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new PluginException(prefix + "environment entry '" + entry + "' is not KEY=VALUE");
            }
            String key = entry.substring(0, eq);
            if (key.indexOf('\0') >= 0 || entry.indexOf('\0') >= 0) {
                throw new PluginException(prefix + "environment entry '" + key + "' contains a NUL character");
            }
            if (RESERVED_ENV.contains(key)) {
                throw new PluginException(prefix + "environment must not set " + key
                        + ": the launcher sets it (see org.infrakit.launch.runtime)");
            }
            env.put(key, entry.substring(eq + 1));
        }
        Duration startTimeout = duration(prefix, "start.timeout", c.start_timeout());
        Duration window = duration(prefix, "restart.window", c.restart_window());
        Duration backoffInitial = duration(prefix, "backoff.initial", c.backoff_initial());
        Duration backoffMax = duration(prefix, "backoff.max", c.backoff_max());
        Duration stopGrace = duration(prefix, "stop.grace", c.stop_grace());
        if (startTimeout.isZero()) {
            throw new PluginException(prefix + "start.timeout must be longer than 0s");
        }
        if (window.isZero()) {
            throw new PluginException(prefix + "restart.window must be longer than 0s");
        }
        if (c.max_restarts() < 0) {
            throw new PluginException(prefix + "max.restarts must not be negative, got " + c.max_restarts());
        }
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new PluginException(prefix + "backoff.max (" + GoDuration.format(backoffMax)
                    + ") is shorter than backoff.initial (" + GoDuration.format(backoffInitial) + ")");
        }
        return new PluginSpec(name, command, dir.isEmpty() ? null : Paths.get(dir), env, startTimeout,
                c.max_restarts(), window, backoffInitial, backoffMax, stopGrace, c.detachable());
    }

    /**
     * @param other another descriptor
     * @return whether both start the very same process, so that only the supervision settings differ
     */
    boolean sameProcess(PluginSpec other) {
        return name.equals(other.name) && command.equals(other.command)
                && java.util.Objects.equals(directory, other.directory) && environment.equals(other.environment)
                && detachable == other.detachable;
    }

    private static List<String> words(String member, String[] values, String prefix) throws PluginException {
        List<String> list = values == null ? List.of() : Arrays.asList(values);
        if (list.size() != 1) {
            return new ArrayList<>(list);
        }
        String single = list.get(0) == null ? "" : list.get(0);
        if (single.strip().length() >= 2 && TYPED_WORDS.matcher(single.strip()).matches()) {
            throw new PluginException(typedProblem(prefix + member, single.strip()));
        }
        try {
            return ShellWords.split(single);
        } catch (IllegalArgumentException e) {
            throw new PluginException(prefix + member + ": " + e.getMessage());
        }
    }

    private static Duration duration(String prefix, String member, String text) throws PluginException {
        String s = text == null ? "" : text.strip();
        if (looksTyped(s)) {
            throw new PluginException(typedProblem(prefix + member, s));
        }
        Duration d;
        try {
            d = GoDuration.parse(s);
        } catch (IllegalArgumentException e) {
            throw new PluginException(prefix + member + ": " + e.getMessage()
                    + " (write it like 500ms, 10s, 1m30s or 1h)");
        }
        if (d.isNegative()) {
            throw new PluginException(prefix + member + " must not be negative, got " + s);
        }
        return d;
    }

    private static boolean looksTyped(String value) {
        return value.length() >= 2 && TYPED_SYNTAX.matcher(value).matches();
    }

    private static String typedProblem(String what, String value) {
        return what + " is " + value + ", which looks like FileInstall's typed syntax; FileInstall reads "
                + "typed values only when every value in the .cfg file is typed, so write plain values";
    }
}
