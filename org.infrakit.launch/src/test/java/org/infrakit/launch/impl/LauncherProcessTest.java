package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.infrakit.launch.impl.Fixture.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugin.State;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.client.RemoteError;
import org.infrakit.rpc.client.SocketProbe;
import org.infrakit.spi.InterfaceSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The launcher with real processes: the fake plugin in src/test/resources, run by python3. */
class LauncherProcessTest {
    private Fixture fx;
    private Launcher launcher;
    private final Object owner = new Object();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void setUp() throws IOException {
        fx = new Fixture();
        launcher = fx.launcher();
    }

    @AfterEach
    void tearDown() throws IOException {
        launcher.close();
        timer.shutdownNow();
        fx.close();
    }

    private ExternalPlugin status(String name) {
        return launcher.get(name).orElseThrow();
    }

    private void awaitState(String name, State state) {
        await(name + " to be " + state, () -> status(name).state() == state);
    }

    private PluginHandshake.Offer handshake(String name) throws RemoteError {
        try (JsonRpcClient rpc = new JsonRpcClient(fx.paths.socket(name), 2000, timer, false)) {
            return PluginHandshake.run(rpc);
        }
    }

    private JsonNode call(String name, String method) throws RemoteError {
        try (JsonRpcClient rpc = new JsonRpcClient(fx.paths.socket(name), 2000, timer, false)) {
            return rpc.call(method, null, JsonNode.class);
        }
    }

    @Test
    void launchesThePluginWithItsEnvironmentAndWaitsUntilItAnswers() throws Exception {
        Path workDir = Files.createDirectory(fx.root.resolve("work"));
        PluginSpec base = fx.spec("alpha", false, 3, fx.command("alpha"));
        PluginSpec spec = new PluginSpec("alpha", base.command(), workDir, Map.of("IK_EXTRA", "x y"),
                base.startTimeout(), 3, base.restartWindow(), base.backoffInitial(), base.backoffMax(),
                base.stopGrace(), false);
        launcher.declare(owner, spec);

        awaitState("alpha", State.RUNNING);
        ExternalPlugin s = status("alpha");
        assertThat(s.pid()).isPositive();
        assertThat(ProcessHandle.of(s.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(s.restarts()).isZero();
        assertThat(handshake("alpha").interfaces()).containsExactly(InterfaceSpec.INSTANCE);
        assertThat(call("alpha", "Instance.DescribeInstances")
                .has("Descriptions")).isTrue();
        // stdout and stderr mirrored line by line; the plugin saw INFRAKIT_HOME, INFRAKIT_PLUGINS_DIR,
        // its working directory and its extra environment
        await("the start line", () -> fx.mirrored("alpha").contains("starting alpha home=" + fx.root + " plugins="
                + fx.paths.pluginsDir() + " cwd=" + workDir + " extra=x y"));
        await("the stderr line", () -> fx.mirrored("alpha").contains("hello from stderr"));
        assertThat(fx.logged("INFO")).anyMatch(m -> m.contains("'alpha' is running (pid " + s.pid() + ")")
                && m.contains("Instance/0.6.0"));
    }

    @Test
    void logsThroughSlf4jWithThePluginsLoggerAndPrefix() throws Exception {
        try (Launcher real = new Launcher(fx.paths, LineSink.slf4j(), java.time.Clock.systemUTC(), 1000)) {
            real.declare(owner, fx.spec("beta", false, 0, fx.command("beta")));
            await("beta running", () -> real.get("beta").orElseThrow().state() == State.RUNNING);
            await("a mirrored log event", () -> fx.events.stream().anyMatch(e ->
                    e.getLoggerName().equals("infrakit.plugin.beta")
                            && e.getFormattedMessage().equals("[beta] hello from stderr")));
        }
    }

    @Test
    void aPluginKilledWithSigkillIsRestartedAndAnswersAgain() throws Exception {
        launcher.declare(owner, fx.spec("gamma", false, 3, fx.command("gamma")));
        awaitState("gamma", State.RUNNING);
        long first = status("gamma").pid();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();

        await("a new gamma process", () -> status("gamma").state() == State.RUNNING && status("gamma").pid() != first);
        ExternalPlugin s = status("gamma");
        assertThat(s.restarts()).isEqualTo(1);
        assertThat(s.lastExitCode()).isEqualTo(137);
        assertThat(s.lastExitTime()).isNotNull();
        assertThat(s.lastError()).contains("'gamma'", "pid " + first, "exited with code 137 (signal 9)");
        assertThat(handshake("gamma").interfaces()).containsExactly(InterfaceSpec.INSTANCE);
        assertThat(fx.processes()).hasSize(1);
    }

    @Test
    void aCrashLoopSpendsTheBudgetAndStaysDown() throws Exception {
        launcher.declare(owner, fx.spec("delta", false, 2, fx.command("delta", "--crash-after", "0.1")));

        awaitState("delta", State.FAILED);
        ExternalPlugin s = status("delta");
        assertThat(s.restarts()).isEqualTo(2);
        assertThat(s.pid()).isEqualTo(-1);
        assertThat(s.lastExitCode()).isEqualTo(3);
        assertThat(s.lastError()).contains("'delta'", "exited with code 3", "listening at");
        List<String> errors = fx.logged("ERROR");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("'delta'", "stays down", "restart budget used up", "max.restarts=2");
        assertThat(fx.logged("WARN")).filteredOn(m -> m.contains("restarting it in")).hasSize(2);
        // nothing left behind: no process, no socket file
        assertThat(fx.processes()).isEmpty();
        assertThat(fx.paths.socket("delta")).doesNotExist();
        // still down a little later
        Thread.sleep(300);
        assertThat(status("delta").state()).isEqualTo(State.FAILED);
        assertThat(fx.processes()).isEmpty();
    }

    @Test
    void floodsJunkAndLongLinesOnStdoutWithoutBreakingAnything() throws Exception {
        launcher.declare(owner, fx.spec("eps", false, 0,
                fx.command("eps", "--junk", "--long-line", "100000", "--spam", "50000")));

        awaitState("eps", State.RUNNING);
        assertThat(handshake("eps").interfaces()).containsExactly(InterfaceSpec.INSTANCE);
        // more than 1000 lines a second are counted, not logged; the note comes with the next line
        // mirrored in a later second
        Thread.sleep(1100);
        assertThat(call("eps", "Instance.Validate")
                .get("OK").asBoolean()).isTrue();
        await("the line after the flood", () -> fx.mirrored("eps").contains("handled Instance.Validate"));
        List<String> lines = fx.mirrored("eps");
        assertThat(lines).anyMatch(l -> l.matches("\\(\\d+ lines of output not logged: more than 1000 lines a second\\)"));
        assertThat(lines.size()).isLessThan(10_000); // of 50000
        assertThat(lines).allSatisfy(l -> {
            assertThat(l).doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f]");
            assertThat(l.length()).isLessThan(OutputMirror.MAX_LINE_BYTES + 100);
        });
        assertThat(lines).anyMatch(l -> l.startsWith("LLLL") && l.endsWith("[line cut: " + (100000 - 4096) + " more bytes]"));
        assertThat(lines).anyMatch(l -> l.contains("?[31mred?[0m"));
        assertThat(lines).contains("spam line 0");
    }

    @Test
    void aPluginThatNeverAnswersTimesOutWithItsOutputInTheError() throws Exception {
        PluginSpec base = fx.spec("zeta", false, 0, fx.command("zeta", "--no-listen"));
        launcher.declare(owner, new PluginSpec("zeta", base.command(), null, Map.of(), Duration.ofSeconds(3), 0,
                base.restartWindow(), base.backoffInitial(), base.backoffMax(), base.stopGrace(), false));

        awaitState("zeta", State.FAILED);
        ExternalPlugin s = status("zeta");
        assertThat(s.lastError()).contains("'zeta'", "did not answer a handshake on " + fx.paths.socket("zeta"),
                "within 3s", "stopped it", "last output:", "booting, but never listening");
        assertThat(fx.logged("ERROR")).singleElement().asString().contains("booting, but never listening",
                "stays down");
        assertThat(fx.processes()).isEmpty();
    }

    @Test
    void stopSendsSigtermAndSigkillAfterTheGracePeriodAndRemovesTheSocket() throws Exception {
        launcher.declare(owner, fx.spec("eta", false, 3, fx.command("eta", "--ignore-term")));
        awaitState("eta", State.RUNNING);
        long pid = status("eta").pid();

        long t0 = System.nanoTime();
        var done = launcher.remove(owner);
        // listed as STOPPED, with its pid, until the process is gone
        await("eta stopping", () -> launcher.get("eta").map(s -> s.state() == State.STOPPED && s.pid() == pid)
                .orElse(false));
        done.get(5, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(took).isGreaterThanOrEqualTo(450); // stop.grace is 500ms
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(fx.logged("WARN")).anyMatch(m -> m.contains("did not stop within 500ms of SIGTERM; sending SIGKILL"));
        assertThat(fx.paths.socket("eta")).doesNotExist();
        assertThat(launcher.get("eta")).isEmpty();
        assertThat(fx.processes()).isEmpty();
    }

    @Test
    void stopOfAWellBehavedPluginTakesNoGracePeriod() throws Exception {
        PluginSpec base = fx.spec("theta", false, 3, fx.command("theta", "--leave-socket"));
        launcher.declare(owner, new PluginSpec("theta", base.command(), null, Map.of(), base.startTimeout(), 3,
                base.restartWindow(), base.backoffInitial(), base.backoffMax(), Duration.ofSeconds(5), false));
        awaitState("theta", State.RUNNING);

        long t0 = System.nanoTime();
        launcher.remove(owner).get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3000);
        await("the SIGTERM line", () -> fx.mirrored("theta").contains("got SIGTERM"));
        // it left its socket file behind; nobody answers on it any more, so the launcher removed it
        assertThat(fx.paths.socket("theta")).doesNotExist();
        assertThat(fx.logged("WARN")).noneMatch(m -> m.contains("SIGKILL"));
    }

    @Test
    void shutdownStopsPluginsThatAreNotDetachable() throws Exception {
        launcher.declare(owner, fx.spec("iota", false, 3, fx.command("iota")));
        awaitState("iota", State.RUNNING);
        long pid = status("iota").pid();

        launcher.close();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(fx.processes()).isEmpty();
    }

    @Test
    void aDetachablePluginIsAdoptedByTheNextRuntimeNotStartedTwice() throws Exception {
        PluginSpec spec = fx.spec("kappa", true, 3, fx.command("kappa"));
        launcher.declare(owner, spec);
        awaitState("kappa", State.RUNNING);
        long pid = status("kappa").pid();
        Path record = fx.paths.record("kappa");
        assertThat(record).exists();
        assertThat(LaunchRecord.read(record).orElseThrow().pid()).isEqualTo(pid);
        // its output goes to the log file and is mirrored from there
        await("the start line", () -> fx.mirrored("kappa").stream().anyMatch(l -> l.startsWith("starting kappa")));
        assertThat(Files.readString(fx.paths.logFile("kappa"))).contains("starting kappa", "hello from stderr");

        // in a session of its own, so a Ctrl-C meant for the runtime's terminal does not reach it
        assertThat(sessionOf(pid)).isEqualTo(pid);
        launcher.close(); // the runtime shuts down
        assertThat(ProcessHandle.of(pid).orElseThrow().isAlive()).isTrue();
        assertThat(record).exists();
        assertThat(fx.logged("INFO")).anyMatch(m -> m.contains("leaving detachable external plugin 'kappa' running"));

        launcher = fx.launcher(); // the runtime starts again
        launcher.declare(owner, spec);

        awaitState("kappa", State.ADOPTED);
        assertThat(status("kappa").pid()).isEqualTo(pid);
        assertThat(fx.processes()).singleElement().extracting(ProcessHandle::pid).isEqualTo(pid);
        assertThat(fx.logged("INFO")).anyMatch(m -> m.contains("adopted pid " + pid));
        // mirroring goes on after the adoption
        int before = fx.mirrored("kappa").size();
        assertThat(handshake("kappa").interfaces()).containsExactly(InterfaceSpec.INSTANCE);
        await("mirrored output after adoption", () -> fx.mirrored("kappa").stream().skip(before)
                .anyMatch(l -> l.equals("handled Handshake.Implements")));

        // an adopted process is still supervised: killed, it is restarted
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await("kappa restarted", () -> status("kappa").state() == State.RUNNING && status("kappa").pid() != pid);
        assertThat(status("kappa").restarts()).isEqualTo(1);
        assertThat(status("kappa").lastExitCode()).isNull(); // not our child: unknown
        assertThat(fx.processes()).hasSize(1);
        await("a new record", () -> readPid(record) == status("kappa").pid());

        launcher.remove(owner).get(5, TimeUnit.SECONDS);
        assertThat(fx.processes()).isEmpty();
        assertThat(record).doesNotExist();
    }

    /** @return field 6 of /proc/<pid>/stat: the session id */
    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3]);
    }

    private static long readPid(Path record) {
        try {
            return LaunchRecord.read(record).map(LaunchRecord::pid).orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aRecordWhosePidWasReusedByAnotherProcessIsNotAdopted() throws Exception {
        PluginSpec spec = fx.spec("lam", true, 3, fx.command("lam"));
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            // the record names the other process's pid with a different start: a reused pid
            ProcessIdentity otherId = ProcessIdentity.of(other.pid()).orElseThrow();
            new LaunchRecord("lam", other.pid(), otherId.start() + "0", "2020-01-01T00:00:00Z", spec.command(),
                    otherId.commandLine(), true).write(fx.paths.record("lam"));

            launcher.declare(owner, spec);

            awaitState("lam", State.RUNNING);
            assertThat(status("lam").pid()).isNotEqualTo(other.pid());
            assertThat(other.isAlive()).isTrue();
            assertThat(fx.logged("INFO")).anyMatch(m -> m.contains("pid " + other.pid()) && m.contains("not adopting"));
            assertThat(fx.processes()).hasSize(1);
            assertThat(readPid(fx.paths.record("lam"))).isEqualTo(status("lam").pid());
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void aRecordWithTheRightStartButAnotherCommandLineIsNotAdopted() throws Exception {
        PluginSpec spec = fx.spec("mu", true, 3, fx.command("mu"));
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessIdentity otherId = ProcessIdentity.of(other.pid()).orElseThrow();
            new LaunchRecord("mu", other.pid(), otherId.start(), "2020-01-01T00:00:00Z", spec.command(),
                    spec.command(), true).write(fx.paths.record("mu"));

            launcher.declare(owner, spec);

            awaitState("mu", State.RUNNING);
            assertThat(status("mu").pid()).isNotEqualTo(other.pid());
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void aProcessLeftOverByARuntimeThatDiedIsReplacedNotAdopted() throws Exception {
        // as if a runtime had been killed with SIGKILL: its (not detachable) plugin still runs, the
        // record is still there, and nobody reads the plugin's output any more
        PluginSpec spec = fx.spec("orph", false, 3, fx.command("orph"));
        ProcessBuilder pb = new ProcessBuilder(spec.command());
        pb.environment().put("INFRAKIT_PLUGINS_DIR", fx.paths.pluginsDir().toString());
        Process orphan = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await("the orphan to listen", () -> SocketProbe.state(fx.paths.socket("orph")) == SocketProbe.State.LISTENING);
        ProcessIdentity id = ProcessIdentity.of(orphan.pid()).orElseThrow();
        new LaunchRecord("orph", orphan.pid(), id.start(), "2020-01-01T00:00:00Z", spec.command(), id.commandLine(),
                false).write(fx.paths.record("orph"));

        launcher.declare(owner, spec);

        await("a fresh orph", () -> status("orph").state() == State.RUNNING && status("orph").pid() != orphan.pid());
        assertThat(orphan.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(fx.logged("INFO")).anyMatch(m -> m.contains("pid " + orphan.pid() + " was left over by a runtime"));
        assertThat(fx.processes()).hasSize(1);
        assertThat(status("orph").restarts()).isZero();
    }

    @Test
    void aDetachablePluginWhoseCommandChangedWhileTheRuntimeWasDownIsReplaced() throws Exception {
        launcher.declare(owner, fx.spec("nu", true, 3, fx.command("nu")));
        awaitState("nu", State.RUNNING);
        long pid = status("nu").pid();
        launcher.close();

        launcher = fx.launcher();
        launcher.declare(owner, fx.spec("nu", true, 3, fx.command("nu", "--version", "0.6.0")));

        await("nu replaced", () -> status("nu").state() == State.RUNNING && status("nu").pid() != pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(status("nu").restarts()).isZero();
        assertThat(fx.processes()).hasSize(1);
    }

    @Test
    void anOldPluginAnsweringOnlyPluginImplementsIsRunningWhateverVersionItSpeaks() throws Exception {
        launcher.declare(owner, fx.spec("xi", false, 0, fx.command("xi", "--old-handshake", "--version", "0.5.0")));

        awaitState("xi", State.RUNNING);
        PluginHandshake.Offer hs = handshake("xi");
        assertThat(hs.method()).isEqualTo("Plugin.Implements");
        assertThat(hs.interfaces()).containsExactly(new InterfaceSpec("Instance", "0.5.0"));
        // judging the version is the importer's business; the launcher only says what it heard
        assertThat(fx.logged("INFO")).anyMatch(m -> m.contains("'xi' is running") && m.endsWith(": Instance/0.5.0"));
    }

    @Test
    void aLiveSocketIsNeverStolenAndAStaleOneIsReplaced() throws Exception {
        // another process, not started by the launcher, serves the name
        ProcessBuilder pb = new ProcessBuilder(fx.command("omi"));
        pb.environment().put("INFRAKIT_PLUGINS_DIR", fx.paths.pluginsDir().toString());
        Process live = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            await("the other process to listen", () -> SocketProbe.state(fx.paths.socket("omi"))
                    == SocketProbe.State.LISTENING);
            launcher.declare(owner, fx.spec("omi", false, 0, fx.command("omi")));

            awaitState("omi", State.FAILED);
            assertThat(status("omi").lastError()).contains("the socket omi in " + fx.paths.pluginsDir(),
                    "already answered by another process", "not starting a second one");
            assertThat(live.isAlive()).isTrue();
            assertThat(SocketProbe.state(fx.paths.socket("omi"))).isEqualTo(SocketProbe.State.LISTENING);
            // removing the descriptor leaves the other process's socket alone
            launcher.remove(owner).get(5, TimeUnit.SECONDS);
            assertThat(SocketProbe.state(fx.paths.socket("omi"))).isEqualTo(SocketProbe.State.LISTENING);
        } finally {
            live.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }

        // SIGKILLed, it left its socket file: stale now, so the next start removes it and succeeds
        assertThat(SocketProbe.state(fx.paths.socket("omi"))).isEqualTo(SocketProbe.State.STALE);
        launcher.declare(owner, fx.spec("omi", false, 0, fx.command("omi")));
        awaitState("omi", State.RUNNING);
        assertThat(fx.logged("INFO")).anyMatch(m -> m.contains("removed the stale socket " + fx.paths.socket("omi")));
    }

    @Test
    void aProgramThatCannotBeStartedFailsAtOnce() throws Exception {
        launcher.declare(owner, fx.spec("pi", false, 5, List.of("/nonexistent/program", "--x")));

        awaitState("pi", State.FAILED);
        assertThat(status("pi").restarts()).isZero();
        assertThat(status("pi").lastError()).contains("'pi' cannot be started", "/nonexistent/program");
    }

    @Test
    void aSecondDescriptorForTheSameNameIsRefused() throws Exception {
        launcher.declare(owner, fx.spec("rho", false, 0, fx.command("rho")));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> launcher.declare(new Object(), fx.spec("rho", false, 0, fx.command("rho"))))
                .hasMessageContaining("'rho' is already declared by another descriptor");
        awaitState("rho", State.RUNNING);
        assertThat(fx.processes()).hasSize(1);
    }

    @Test
    void aChangedCommandRestartsTheProcessAndChangedSettingsDoNot() throws Exception {
        launcher.declare(owner, fx.spec("sig", false, 0, fx.command("sig")));
        awaitState("sig", State.RUNNING);
        long pid = status("sig").pid();

        launcher.declare(owner, fx.spec("sig", false, 7, fx.command("sig")));
        Thread.sleep(200);
        assertThat(status("sig").pid()).isEqualTo(pid);

        launcher.declare(owner, fx.spec("sig", false, 7, fx.command("sig", "--version", "0.6.0")));
        await("a new process", () -> status("sig").state() == State.RUNNING && status("sig").pid() != pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(fx.processes()).hasSize(1);
    }
}
