package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.infrakit.rpc.impl.server.SocketFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * External plugins declared in the deploy folder of the real runtime ({@link RuntimeJar}), with a
 * Python plugin whose answers carry its pid: a detachable one outlives a SIGTERM of the runtime,
 * still answering, and the next runtime started in the same home adopts that very process (same
 * pid, one process, imported again, its new output mirrored) instead of starting a second one; one
 * that is not detachable is stopped with the runtime and leaves neither socket nor launch record.
 */
class ExternalPluginReattachTest {
    static final Duration RUNTIME_START = Duration.ofSeconds(90);
    /** From the descriptor's arrival to the plugin's first answer: a JVM and a Python process start. */
    static final Duration PLUGIN_START = Duration.ofSeconds(30);
    /** The launcher follows a detachable plugin's log file every 100 ms; the runtime logs it then. */
    static final Duration LOG_LINE = Duration.ofSeconds(10);

    private Path home;
    private Path script;
    private RuntimeJar runtime;

    /** Kills the runtime if a failure left it running, then every process running this home's plugin script. */
    @AfterEach
    void tearDown() throws Exception {
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            if (script != null) {
                for (long pid : running(script)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                Poll.until(Duration.ofSeconds(10), () -> running(script).isEmpty() ? null
                        : "still running: " + running(script), "the plugin processes to die");
            }
            TempDirs.delete(home);
        }
    }

    @Test
    void aDetachablePluginOutlivesTheRuntimeAndIsAdoptedNotStartedTwice() throws Exception {
        String name = "reattach-py";
        Path socket = prepare(name, true);
        Path log1 = Scale.outDir().resolve("reliability-reattach-1.log");
        Path log2 = Scale.outDir().resolve("reliability-reattach-2.log");
        Path record = home.resolve("launch").resolve(name + ".json");
        Path pluginLog = home.resolve("logs").resolve(name + ".log");

        RuntimeJar first = start(log1);
        long pid = awaitAnswer(socket);
        Poll.until(PLUGIN_START, () -> recordedPid(record).filter(p -> p == pid).isPresent() ? null
                : "launch record: " + recordedPid(record), "the launch record of pid " + pid);
        assertThat(Replies.STRICT.readTree(record.toFile()).path("detachable").asBoolean())
                .as("the launch record of a detachable plugin says so").isTrue();
        awaitLog(log1, "external plugin '" + name + "' is running (pid " + pid + ") and answers on " + socket);
        awaitLog(log1, "Imported plugin socket " + socket + " as ");
        awaitLog(log1, "[" + name + "] pid " + pid + " listening on " + socket);
        assertThat(log(log1)).as("the launcher's start line").contains("external plugin '" + name + "': started pid "
                + pid + ": ");
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            assertThat(sessionOf(pid)).as("the session of a detachable plugin started through setsid").isEqualTo(pid);
        }

        assertThat(first.stop()).as("the exit status after SIGTERM").isEqualTo(143);
        assertThat(log(log1)).contains("leaving detachable external plugin '" + name + "' running (pid " + pid + ")");
        assertThat(alive(pid)).as("the detachable plugin (pid %d) is alive after the runtime stopped", pid).isTrue();
        assertThat(describe(socket, "while-down")).as("the pid answering while no runtime runs").isEqualTo(pid);
        assertThat(recordedPid(record)).as("the launch record left for the next runtime").contains(pid);

        RuntimeJar second = start(log2);
        awaitLog(log2, "external plugin '" + name + "': adopted pid " + pid + " (started ");
        awaitLog(log2, "external plugin '" + name + "' (adopted pid " + pid + ") answers on " + socket);
        awaitLog(log2, "Imported plugin socket " + socket + " as ");
        assertThat(describe(socket, "after-adoption")).as("the pid answering after the restart").isEqualTo(pid);
        awaitLog(log2, "[" + name + "] handled Instance.DescribeInstances {\"marker\": \"after-adoption\"}");
        assertThat(Files.readString(pluginLog, StandardCharsets.UTF_8))
                .as("what the plugin printed while no runtime ran is in its log file")
                .contains("handled Instance.DescribeInstances {\"marker\": \"while-down\"}");
        assertThat(log(log2)).as("the second runtime's output: it adopted, started nothing, mirrored only new lines")
                .doesNotContain("external plugin '" + name + "': started pid")
                .doesNotContain("\"while-down\"")
                .doesNotContain("[" + name + "] pid " + pid + " listening");
        assertThat(running(script)).as("the processes running the plugin's script").containsExactly(pid);
        assertThat(recordedPid(record)).as("the launch record of the adopted plugin").contains(pid);

        assertThat(second.stop()).as("the exit status after SIGTERM").isEqualTo(143);
        assertThat(log(log2)).contains("leaving detachable external plugin '" + name + "' running (pid " + pid + ")");
        assertThat(alive(pid)).as("the adopted plugin (pid %d) is alive after the second runtime stopped", pid)
                .isTrue();
        assertThat(describe(socket, "after-second-stop")).isEqualTo(pid);

        // the end of its life is the test's business: nothing is left running
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        Poll.until(Duration.ofSeconds(10), () -> alive(pid) ? "alive" : null, "the plugin to die of SIGTERM");
    }

    @Test
    void aPluginThatIsNotDetachableStopsWithTheRuntime() throws Exception {
        String name = "plain-py";
        Path socket = prepare(name, false);
        Path log = Scale.outDir().resolve("reliability-reattach-3.log");
        Path record = home.resolve("launch").resolve(name + ".json");

        RuntimeJar only = start(log);
        long pid = awaitAnswer(socket);
        Poll.until(PLUGIN_START, () -> recordedPid(record).filter(p -> p == pid).isPresent() ? null
                : "launch record: " + recordedPid(record), "the launch record of pid " + pid);
        awaitLog(log, "[" + name + "] pid " + pid + " listening on " + socket);
        assertThat(alive(pid)).isTrue();

        assertThat(only.stop()).as("the exit status after SIGTERM").isEqualTo(143);
        // the runtime waits for its plugins to be gone before it exits
        assertThat(alive(pid)).as("the plugin (pid %d) after the runtime stopped", pid).isFalse();
        assertThat(running(script)).as("the processes running the plugin's script").isEmpty();
        // the plugin dies of SIGTERM without removing its socket; the launcher removes it
        assertThat(socket).as("the plugin's socket").doesNotExist();
        assertThat(record).as("its launch record").doesNotExist();
        assertThat(log(log)).contains("external plugin '" + name + "' stopped")
                .doesNotContain("leaving detachable external plugin");
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Creates the home with the plugin's script in it (so that its path, and so the command line,
     * is unique to this test) and the plugin's descriptor in {@code deploy/}.
     *
     * @return the plugin's socket
     */
    private Path prepare(String name, boolean detachable) throws IOException {
        assumeTrue(ImportedPluginKilledTest.python3() != null, "python3 is needed for a plugin in another process");
        home = TempDirs.create();
        script = home.resolve("pid_plugin.py");
        try (InputStream in = getClass().getResourceAsStream("/python/pid_plugin.py")) {
            assertThat(in).as("the plugin script on the test class path").isNotNull();
            Files.copy(in, script);
        }
        Files.createDirectories(home.resolve("deploy"));
        // plain values only (FileInstall's caveat); the paths contain no blanks, quotes, '\' or '$'
        Files.writeString(home.resolve("deploy").resolve("org.infrakit.launch-" + name + ".cfg"), String.join("\n",
                "name = " + name,
                "command = " + ImportedPluginKilledTest.python3() + " -u " + script + " --name " + name,
                "detachable = " + detachable,
                "start.timeout = 20s",
                "stop.grace = 2s",
                ""), StandardCharsets.UTF_8);
        return home.resolve("plugins").resolve(name);
    }

    /** Starts the runtime (after closing the standard input of the previous one) and waits until it serves. */
    private RuntimeJar start(Path log) throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        runtime = RuntimeJar.start(home, log);
        runtime.awaitServing(RUNTIME_START);
        return runtime;
    }

    /** @return the pid in the plugin's first answer on the socket */
    private long awaitAnswer(Path socket) {
        long[] pid = {0};
        Poll.until(PLUGIN_START, () -> {
            if (!SocketFiles.isSocket(socket)) {
                return "no socket " + socket + "; " + runtime.tail();
            }
            try {
                pid[0] = describe(socket, "first");
                return null;
            } catch (IOException | AssertionError e) {
                return e.getMessage();
            }
        }, "the external plugin to answer on " + socket);
        return pid[0];
    }

    /**
     * Calls Instance.DescribeInstances on the socket, straight to the plugin.
     *
     * @param marker a tag value the plugin prints with the call
     * @return the pid of the process that answered
     */
    private static long describe(Path socket, String marker) throws IOException {
        Http.Reply r = Http.send(socket, Http.post("{\"jsonrpc\":\"2.0\",\"method\":\"Instance.DescribeInstances\","
                + "\"params\":{\"Type\":\"\",\"Tags\":{\"marker\":\"" + marker + "\"}},\"id\":1}"));
        JsonNode pid = Replies.single(r).path("result").path("Descriptions").path(0).path("Tags").path("pid");
        if (!pid.isTextual()) {
            throw new AssertionError("no pid in the answer " + r);
        }
        return Long.parseLong(pid.textValue());
    }

    /** @return the pid in the launch record, empty when there is no record (yet) */
    private static Optional<Long> recordedPid(Path record) {
        try {
            return Files.exists(record) ? Optional.of(Replies.STRICT.readTree(record.toFile()).path("pid").asLong())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // replaced while read: the next poll sees the new one
        }
    }

    /**
     * @return the pids of the live processes whose argv contains the script's path: zombies
     *     (an empty command line) and processes gone while being read are not counted
     */
    private static Set<Long> running(Path script) {
        Set<Long> out = new TreeSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String pid = p.getFileName().toString();
                if (!pid.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = Files.readString(p.resolve("cmdline"), StandardCharsets.UTF_8);
                    if (Arrays.asList(cmdline.split("\0")).contains(script.toString())) {
                        out.add(Long.parseLong(pid));
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return out;
    }

    /**
     * @return whether the process runs: {@code /proc/<pid>} exists and is not a zombie (a killed
     *     orphan may stay one for a while where the container's init reaps lazily)
     */
    private static boolean alive(long pid) {
        List<String> fields = stat(pid);
        return fields != null && !fields.get(0).equals("Z") && !fields.get(0).equals("X");
    }

    /** @return the session id of a live process */
    private static long sessionOf(long pid) {
        List<String> fields = stat(pid);
        assertThat(fields).as("/proc/%d/stat", pid).isNotNull();
        return Long.parseLong(fields.get(3)); // field 6 of stat
    }

    /** @return the fields of {@code /proc/<pid>/stat} from field 3 (the state) on, or {@code null} when it is gone */
    private static List<String> stat(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return null;
        }
        // field 2 is "(comm)", which may contain blanks and parentheses
        return List.of(stat.substring(stat.lastIndexOf(')') + 1).strip().split("\\s+"));
    }

    private static String log(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private void awaitLog(Path log, String line) {
        Poll.until(LOG_LINE, () -> {
            try {
                return log(log).contains(line) ? null : "not in " + log + " yet";
            } catch (IOException e) {
                return e.toString();
            }
        }, "the runtime to log '" + line + "'");
    }
}
