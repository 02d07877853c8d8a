package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;

/**
 * Test fixture: a short temporary InfraKit home under /tmp (unix socket paths are limited to about
 * 108 bytes), the fake plugin's command line, the log events and mirrored lines, and a clean-up
 * that kills every process this test started.
 */
final class Fixture implements AutoCloseable {
    final Path root;
    final LaunchPaths paths;
    final String tag = UUID.randomUUID().toString().substring(0, 8);
    /** Lines mirrored through the sink, as "name|line". */
    final List<String> mirrored = new CopyOnWriteArrayList<>();
    /** Log events of the whole runtime while the fixture is open. */
    final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender;

    Fixture() throws IOException {
        root = Files.createTempDirectory(Path.of("/tmp"), "ik-");
        paths = new LaunchPaths(root, root.resolve("p"));
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                events.add(e);
            }
        };
        appender.start();
        root().addAppender(appender);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** @return a sink that records mirrored lines */
    LineSink sink() {
        return (plugin, line) -> mirrored.add(plugin + "|" + line);
    }

    /** @return a launcher over this fixture's directories */
    Launcher launcher() {
        return new Launcher(paths, sink(), java.time.Clock.systemUTC(), Launcher.LINES_PER_SECOND);
    }

    /** @return the fake plugin's command line, tagged for this test */
    List<String> command(String name, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(Python.PATH, "-u", script().toString(), "--name", name, "--tag", tag));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    /**
     * The real interpreter behind "python3", looked up once by the first test that needs it: a
     * version-manager shim (pyenv) costs a second per start on a loaded machine, the interpreter
     * itself a tenth of that.
     */
    private static final class Python {
        static final String PATH = find();

        private static String find() {
            try {
                Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .strip();
                return p.waitFor() == 0 && !out.isEmpty() ? out : "python3";
            } catch (IOException e) {
                throw new IllegalStateException("python3 is needed by these tests: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "python3";
            }
        }
    }

    static Path script() {
        try {
            return Path.of(Fixture.class.getResource("/fakeplugin.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A descriptor with test-sized timings. */
    PluginSpec spec(String name, boolean detachable, int maxRestarts, List<String> command) {
        return new PluginSpec(name, command, null, Map.of(), Duration.ofSeconds(5), maxRestarts, Duration.ofMinutes(1),
                Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(500), detachable);
    }

    /** @return the live processes carrying this fixture's tag */
    List<ProcessHandle> processes() {
        return ProcessHandle.allProcesses()
                .filter(p -> ProcessIdentity.of(p.pid()).map(id -> id.commandLine().contains(tag)).orElse(false))
                .toList();
    }

    /** @return the formatted messages logged at the given level by the launcher's classes */
    List<String> logged(String level) {
        return events.stream()
                .filter(e -> e.getLevel().toString().equals(level) && e.getLoggerName().startsWith("org.infrakit.launch"))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    /** @return the lines mirrored for a plugin */
    List<String> mirrored(String name) {
        return mirrored.stream().filter(l -> l.startsWith(name + "|")).map(l -> l.substring(name.length() + 1)).toList();
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    @Override
    public void close() throws IOException {
        root().detachAppender(appender);
        for (ProcessHandle p : processes()) {
            p.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
