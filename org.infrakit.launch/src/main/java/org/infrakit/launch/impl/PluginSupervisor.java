package org.infrakit.launch.impl;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugin.State;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.client.RemoteError;
import org.infrakit.rpc.client.SocketProbe;
import org.infrakit.spi.GoDuration;
import org.infrakit.spi.InterfaceSpec;
import org.osgi.framework.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one external plugin process running: launches it, waits until its socket answers the
 * handshake, restarts it with back-off within its restart budget when it dies, stops it (SIGTERM,
 * then SIGKILL after the grace period), and for a detachable plugin records its identity so that
 * the next runtime adopts it instead of starting it twice.
 *
 * <p>Every state change runs on the supervisor's own single thread, so the state needs no locks;
 * the public methods only post work to it. Process exits, timers and requests arrive there in
 * order, and each launched process is an {@link Attempt}: an event about an attempt that is no
 * longer the current one is ignored.
 */
final class PluginSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(PluginSupervisor.class);

    /** How long one handshake probe may take while waiting for a plugin to come up. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Pause between probes: short, since Python or Go plugins listen within tens of milliseconds. */
    private static final long PROBE_INTERVAL_MS = 50;
    /** How long to wait for the last lines of output of a process that has exited. */
    private static final long OUTPUT_DRAIN_MS = 500;

    /**
     * setsid(1) puts a detachable plugin in its own session, so that a Ctrl-C or a hang-up
     * meant for the runtime's terminal does not reach it. A child of the JVM is never a
     * process-group leader, so setsid execs the plugin in place: the pid stays the plugin's.
     */
    private static final Path SETSID = findSetsid();

    private final String name;
    private final LaunchPaths paths;
    private final Clock clock;
    private final Path socket;
    private final OutputMirror mirror;
    private final ScheduledThreadPoolExecutor executor;
    private final ScheduledExecutorService probeTimer;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final RestartBudget budget = new RestartBudget();

    // confined to the executor thread
    private Attempt current;
    private ScheduledFuture<?> pending;
    private boolean stopping;
    private int restarts;
    private Integer lastExitCode;
    private Instant lastExitTime;
    private String lastError;
    private State state = State.STARTING;

    // written on the executor thread, read anywhere
    private volatile PluginSpec spec;
    private volatile ExternalPlugin status;

    /**
     * Creates a supervisor; nothing happens until {@link #start()}.
     *
     * @param spec the descriptor
     * @param paths where sockets, records and logs are
     * @param sink where the plugin's output lines go
     * @param clock the clock for timestamps and the restart window
     * @param linesPerSecond how many output lines a second are logged at most
     * @param probeTimer enforces the handshake probes' deadlines; owned by the caller
     */
    PluginSupervisor(PluginSpec spec, LaunchPaths paths, LineSink sink, Clock clock, int linesPerSecond,
            ScheduledExecutorService probeTimer) {
        this.spec = spec;
        this.name = spec.name();
        this.paths = paths;
        this.clock = clock;
        this.socket = paths.socket(name);
        this.probeTimer = probeTimer;
        this.mirror = new OutputMirror(name, sink, linesPerSecond, System::nanoTime);
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "infrakit-launch-" + name);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        publish();
    }

    /** @return the descriptor in force */
    PluginSpec spec() {
        return spec;
    }

    /** @return the current status */
    ExternalPlugin status() {
        return status;
    }

    /** Adopts the process a previous runtime left running, if its record proves it is ours, else launches. */
    void start() {
        post(() -> {
            if (!stopping && !adopt()) {
                launch();
            }
        });
    }

    /**
     * Applies a descriptor that starts the same process with other supervision settings. A
     * plugin that had failed for good is given a fresh budget and started again.
     *
     * @param newSpec the new descriptor; {@link PluginSpec#sameProcess(PluginSpec)} holds
     */
    void update(PluginSpec newSpec) {
        post(() -> {
            spec = newSpec;
            if (!stopping && state == State.FAILED) {
                budget.clear();
                LOG.info("external plugin '{}': descriptor changed, starting it again", name);
                launch();
            } else {
                publish();
            }
        });
    }

    /**
     * Starts a plugin that had failed for good again, with a fresh budget and the same descriptor;
     * does nothing otherwise.
     *
     * @param why what happened, for the log line
     */
    void retry(String why) {
        post(() -> {
            if (!stopping && state == State.FAILED) {
                budget.clear();
                LOG.info("external plugin '{}': {}, starting it again", name, why);
                launch();
            }
        });
    }

    /**
     * Stops the process (SIGTERM, SIGKILL after the grace period), removes the socket file it left
     * behind and its launch record, and ends supervision.
     *
     * @return completes once the process is gone
     */
    CompletableFuture<Void> stop() {
        post(() -> {
            if (!stopping) {
                stopping = true;
                cancelPending();
                setState(State.STOPPED);
                publish();
                if (current != null && !current.exited) {
                    terminate(current);
                } else {
                    finishStop();
                }
            }
        });
        return finished;
    }

    /**
     * Runtime shutdown: a detachable plugin that is up is left running, recorded for adoption;
     * anything else is stopped.
     *
     * @return completes once supervision has ended
     */
    CompletableFuture<Void> shutdown() {
        post(() -> {
            if (stopping) {
                return;
            }
            Attempt a = current;
            if (spec.detachable() && a != null && a.detachable && !a.exited && a.readyAt != null && a.recorded) {
                stopping = true;
                cancelPending();
                if (a.tail != null) {
                    a.tail.close();
                }
                LOG.info("leaving detachable external plugin '{}' running (pid {}); the next start of the runtime "
                        + "adopts it", name, a.handle.pid());
                executor.shutdown();
                finished.complete(null);
            } else {
                stopping = true;
                cancelPending();
                if (a != null && !a.exited) {
                    terminate(a);
                } else {
                    finishStop();
                }
            }
        });
        return finished;
    }

    // ---------------------------------------------------------------------------------------------
    // launching and adopting

    private void launch() {
        current = null;
        mirror.clearRecent();
        setState(State.STARTING);
        PluginSpec s = spec;
        switch (SocketProbe.state(socket)) {
            case LISTENING -> {
                failed(null, "external plugin '" + name + "': the socket " + name + " in " + paths.pluginsDir()
                        + " is already answered by another process; not starting a second one");
                return;
            }
            case NOT_A_SOCKET -> {
                giveUp("external plugin '" + name + "': " + socket + " exists and is not a socket; remove it");
                return;
            }
            case STALE -> {
                if (SocketProbe.removeIfStale(socket)) {
                    LOG.info("external plugin '{}': removed the stale socket {} left by a dead process", name, socket);
                }
            }
            case ABSENT -> {
                // the normal case
            }
        }
        List<String> argv = new ArrayList<>();
        if (s.detachable() && SETSID != null) {
            argv.add(SETSID.toString());
        }
        argv.addAll(s.command());
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (s.directory() != null) {
            pb.directory(s.directory().toFile());
        }
        Map<String, String> env = pb.environment();
        env.putAll(s.environment());
        env.put("INFRAKIT_HOME", paths.home().toString());
        env.put("INFRAKIT_PLUGINS_DIR", paths.pluginsDir().toString());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path logFile = paths.logFile(name);
        long logStart = 0;
        Process process;
        try {
            LaunchPaths.ensureDirectory(paths.pluginsDir());
            if (s.detachable()) {
                // the output must outlive the runtime: a file, not a pipe (a pipe would break, and
                // the plugin die of SIGPIPE, when the runtime exits)
                LaunchPaths.ensureDirectory(logFile.getParent());
                logStart = LogTail.sizeOf(logFile);
                pb.redirectErrorStream(true);
                pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            }
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            giveUp("external plugin '" + name + "' cannot be started: " + e.getMessage());
            return;
        }
        Attempt a = new Attempt(process.toHandle(), process, false, s.detachable(), clock.instant(),
                System.nanoTime() + s.startTimeout().toNanos());
        current = a;
        if (s.detachable()) {
            a.tail = new LogTail("infrakit-launch-" + name + "-log", logFile, logStart, mirror);
        } else {
            a.drains.add(new StreamDrain("infrakit-launch-" + name + "-stdout", process.getInputStream(), mirror));
            a.drains.add(new StreamDrain("infrakit-launch-" + name + "-stderr", process.getErrorStream(), mirror));
        }
        process.onExit().whenComplete((p, t) -> post(() -> exited(a, p == null ? null : p.exitValue())));
        LOG.info("external plugin '{}': started pid {}: {}", name, a.handle.pid(), s.command());
        publish();
        schedule(() -> awaitReady(a), PROBE_INTERVAL_MS);
    }

    /** @return whether a process left running by a previous runtime was taken over */
    private boolean adopt() {
        Path file = paths.record(name);
        Optional<LaunchRecord> found;
        try {
            found = LaunchRecord.read(file);
        } catch (IOException e) {
            LOG.warn("external plugin '{}': {}; ignoring it", name, e.getMessage());
            deleteRecord();
            return false;
        }
        if (found.isEmpty()) {
            return false;
        }
        LaunchRecord r = found.get();
        Optional<ProcessIdentity> id = ProcessIdentity.of(r.pid());
        Optional<ProcessHandle> handle = ProcessHandle.of(r.pid());
        if (id.isEmpty() || handle.isEmpty()) {
            LOG.info("external plugin '{}': its recorded process (pid {}) is no longer running; starting it", name,
                    r.pid());
            deleteRecord();
            return false;
        }
        if (!r.name().equals(name) || !r.matches(id.get())) {
            // a reused pid: never touch that process
            LOG.info("external plugin '{}': pid {} of its launch record now belongs to another process ({}, {}); "
                    + "not adopting it, starting the plugin", name, r.pid(), id.get().start(), id.get().commandLine());
            deleteRecord();
            return false;
        }
        PluginSpec s = spec;
        Path logFile = paths.logFile(name);
        Attempt a = new Attempt(handle.get(), null, true, r.detachable(), clock.instant(),
                System.nanoTime() + s.startTimeout().toNanos());
        a.recorded = true;
        current = a;
        if (r.detachable()) {
            a.tail = new LogTail("infrakit-launch-" + name + "-log", logFile, LogTail.sizeOf(logFile), mirror);
        }
        a.handle.onExit().whenComplete((h, t) -> post(() -> exited(a, null)));
        if (!r.detachable()) {
            // its output pipes went with the runtime that died: it cannot be supervised, only replaced
            LOG.info("external plugin '{}': pid {} was left over by a runtime that did not shut down; stopping it "
                    + "to start the plugin afresh", name, r.pid());
            a.replace = true;
            terminate(a);
            return true;
        }
        if (!r.command().equals(s.command())) {
            LOG.info("external plugin '{}': its command changed while the runtime was down; stopping the old "
                    + "process (pid {}) to start {}", name, r.pid(), s.command());
            a.replace = true;
            terminate(a);
            return true;
        }
        LOG.info("external plugin '{}': adopted pid {} (started {}) left running by the previous runtime", name,
                r.pid(), r.started());
        setState(State.ADOPTED);
        schedule(() -> awaitReady(a), 0);
        return true;
    }

    /** Probes the socket until the plugin answers, it exits, or the start timeout passes. */
    private void awaitReady(Attempt a) {
        if (a != current || a.exited || a.readyAt != null || a.terminating) {
            return;
        }
        long left = a.deadlineNanos - System.nanoTime();
        if (left <= 0) {
            a.failure = (a.adopted ? "was adopted (pid " + a.handle.pid() + ") but " : "")
                    + "did not answer a handshake on " + socket + " within "
                    + GoDuration.format(spec.startTimeout())
                    + (a.lastProbeError == null ? "" : " (last attempt: " + a.lastProbeError + ")") + "; stopped it";
            terminate(a);
            return;
        }
        long timeoutMs = Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), PROBE_TIMEOUT.toMillis()));
        try (JsonRpcClient rpc = new JsonRpcClient(socket, timeoutMs, probeTimer, false)) {
            ready(a, PluginHandshake.run(rpc));
        } catch (RemoteError | ServiceException | RejectedExecutionException e) {
            a.lastProbeError = e.getMessage();
            schedule(() -> awaitReady(a), PROBE_INTERVAL_MS);
        }
    }

    private void ready(Attempt a, PluginHandshake.Offer hs) {
        a.readyAt = clock.instant();
        if (a.adopted) {
            LOG.info("external plugin '{}' (adopted pid {}) answers on {}: {}", name, a.handle.pid(), socket,
                    describe(hs));
        } else {
            LOG.info("external plugin '{}' is running (pid {}) and answers on {}: {}", name, a.handle.pid(), socket,
                    describe(hs));
            setState(State.RUNNING);
            writeRecord(a);
        }
        publish();
    }

    /** @return {@code Instance/0.6.0, Flavor/0.1.0} */
    private static String describe(PluginHandshake.Offer hs) {
        return hs.interfaces().isEmpty() ? "no interfaces"
                : String.join(", ", hs.interfaces().stream().map(InterfaceSpec::toString).toList());
    }

    // ---------------------------------------------------------------------------------------------
    // exits, failures and stopping

    private void exited(Attempt a, Integer code) {
        if (a != current || a.exited) {
            return;
        }
        a.exited = true;
        if (a.kill != null) {
            a.kill.cancel(false);
        }
        for (StreamDrain d : a.drains) {
            d.awaitEnd(OUTPUT_DRAIN_MS);
        }
        if (a.tail != null) {
            a.tail.close();
        }
        lastExitCode = code;
        lastExitTime = clock.instant();
        if (SocketProbe.removeIfStale(socket)) {
            LOG.debug("external plugin '{}': removed the socket {} its process left behind", name, socket);
        }
        if (a.recorded) {
            deleteRecord();
        }
        if (stopping) {
            finishStop();
            return;
        }
        if (a.replace) {
            launch();
            return;
        }
        String what;
        if (a.failure != null) {
            what = a.failure;
        } else if (a.readyAt == null && !a.adopted) {
            what = "exited" + exitText(code) + " before answering on " + socket;
        } else {
            what = "exited" + exitText(code);
        }
        failed(a, "external plugin '" + name + "' (pid " + a.handle.pid() + ") " + what + mirror.recentForMessage());
    }

    /**
     * The process died or could not come up: restart it after a back-off if the budget allows,
     * otherwise it stays down. Either way this logs exactly one line.
     */
    private void failed(Attempt a, String message) {
        PluginSpec s = spec;
        Instant now = clock.instant();
        lastError = message;
        if (a != null && a.readyAt != null && Duration.between(a.readyAt, now).compareTo(s.restartWindow()) >= 0) {
            budget.resetBackoff();
        }
        Duration delay = budget.next(now, s.maxRestarts(), s.restartWindow(), s.backoffInitial(), s.backoffMax());
        if (delay == null) {
            setState(State.FAILED);
            LOG.error("{}; it stays down: {} (max.restarts={}, restart.window={}); touch or edit its "
                    + "descriptor to try again", message,
                    s.maxRestarts() == 0 ? "restarts are off" : "restart budget used up", s.maxRestarts(),
                    GoDuration.format(s.restartWindow()));
            publish();
            return;
        }
        restarts++;
        setState(State.RESTARTING);
        LOG.warn("{}; restarting it in {} (restart {} of at most {} within {})", message, GoDuration.format(delay),
                budget.used(now, s.restartWindow()), s.maxRestarts(), GoDuration.format(s.restartWindow()));
        publish();
        schedule(this::launch, delay.toMillis());
    }

    /** The plugin cannot be started at all: retrying would not help. */
    private void giveUp(String message) {
        lastError = message;
        setState(State.FAILED);
        LOG.error("{}; it stays down until its descriptor is touched or edited", message);
        publish();
    }

    /** SIGTERM now; SIGKILL to it and the children it had if it is still alive after the grace period. */
    private void terminate(Attempt a) {
        if (a.exited || a.terminating) {
            return;
        }
        a.terminating = true;
        List<ProcessHandle> children = a.handle.descendants().toList();
        Duration grace = spec.stopGrace();
        // ProcessHandle.destroy, not Process.destroy: both send SIGTERM, but Process.destroy also
        // closes our ends of the pipes, and the last words of a stopping plugin would be lost
        a.handle.destroy();
        a.kill = executor.schedule(guard(() -> {
            if (!a.exited && a.handle.isAlive()) {
                LOG.warn("external plugin '{}' (pid {}) did not stop within {} of SIGTERM; sending SIGKILL", name,
                        a.handle.pid(), GoDuration.format(grace));
                a.handle.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
            }
        }), grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void finishStop() {
        if (SocketProbe.removeIfStale(socket)) {
            LOG.debug("external plugin '{}': removed the socket {} its process left behind", name, socket);
        }
        deleteRecord();
        setState(State.STOPPED);
        publish();
        LOG.info("external plugin '{}' stopped", name);
        executor.shutdown();
        finished.complete(null);
    }

    // ---------------------------------------------------------------------------------------------
    // records

    private void writeRecord(Attempt a) {
        Optional<ProcessIdentity> id = ProcessIdentity.of(a.handle.pid());
        if (id.isEmpty()) {
            return; // it just died; the exit event follows
        }
        LaunchRecord r = new LaunchRecord(name, a.handle.pid(), id.get().start(), a.startedAt.toString(),
                spec.command(), id.get().commandLine(), a.detachable);
        try {
            r.write(paths.record(name));
            a.recorded = true;
        } catch (IOException e) {
            LOG.error("external plugin '{}': cannot write its launch record {}: {}; it will be stopped, not left "
                    + "running, when the runtime shuts down, and a runtime that dies will not find it", name,
                    paths.record(name), e.toString());
        }
    }

    private void deleteRecord() {
        try {
            Files.deleteIfExists(paths.record(name));
        } catch (IOException e) {
            LOG.warn("external plugin '{}': cannot remove its launch record: {}", name, e.toString());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // plumbing

    private static String exitText(Integer code) {
        if (code == null) {
            return " (exit code unknown: it was not started by this runtime)";
        }
        if (code > 128 && code < 128 + 32) {
            return " with code " + code + " (signal " + (code - 128) + ")";
        }
        return " with code " + code;
    }

    private void setState(State s) {
        state = s;
    }

    private void publish() {
        Attempt a = current;
        long pid = a != null && !a.exited ? a.handle.pid() : -1;
        PluginSpec s = spec;
        status = new ExternalPlugin(name, state, pid, restarts, lastExitCode, lastExitTime, lastError, s.detachable(),
                s.command());
    }

    private void cancelPending() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void schedule(Runnable r, long millis) {
        try {
            pending = executor.schedule(guard(r), millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shut down meanwhile
        }
    }

    private void post(Runnable r) {
        try {
            executor.execute(guard(r));
        } catch (RejectedExecutionException e) {
            // supervision has ended; a late process exit or request has nothing left to do
        }
    }

    private Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                LOG.error("external plugin '{}': supervisor failure", name, e);
            }
        };
    }

    private static Path findSetsid() {
        for (String dir : new String[] {"/usr/bin", "/bin", "/usr/local/bin"}) {
            Path p = Path.of(dir, "setsid");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** One process: launched by this supervisor or adopted. */
    private static final class Attempt {
        final ProcessHandle handle;
        final Process process;
        final boolean adopted;
        final boolean detachable;
        final Instant startedAt;
        final long deadlineNanos;
        final List<StreamDrain> drains = new ArrayList<>(2);
        LogTail tail;
        Instant readyAt;
        boolean exited;
        boolean terminating;
        boolean recorded;
        boolean replace;
        String failure;
        String lastProbeError;
        ScheduledFuture<?> kill;

        Attempt(ProcessHandle handle, Process process, boolean adopted, boolean detachable, Instant startedAt,
                long deadlineNanos) {
            this.handle = handle;
            this.process = process;
            this.adopted = adopted;
            this.detachable = detachable;
            this.startedAt = startedAt;
            this.deadlineNanos = deadlineNanos;
        }
    }
}
