package org.infrakit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.infrakit.bench.RuntimeLauncher.Variant;

/**
 * Where the runtime's time goes ({@code --profile}): the runtime with its shipped options plus a
 * JDK Flight Recorder recording ({@code settings=profile}) from the JVM's start, stopped with
 * {@code jcmd} when the sockets answer; then one recording of the handshake runs and one of the
 * provision runs, each started and stopped with {@code jcmd} around the load. The recordings are
 * summarised into the report and kept in {@code org.infrakit.bench/target/profile/} for a closer look
 * ({@code jfr print}, JDK Mission Control).
 */
final class ProfileBenchmark implements Benchmark {

    /**
     * @param handshakeCalls handshake calls recorded, on one connection and on {@code clients}
     * @param provisionCalls provisions recorded, on one connection and on {@code clients}
     * @param clients concurrent connections
     * @param timeout the longest wait for anything
     */
    record Settings(int handshakeCalls, int provisionCalls, int clients, Duration timeout) {
        /** @return the recordings of the report */
        static Settings defaults() {
            return new Settings(100_000, 8_000, 16, Duration.ofSeconds(60));
        }

        /** @return a short recording, to check the harness */
        static Settings quick() {
            return new Settings(500, 50, 2, Duration.ofSeconds(60));
        }
    }

    private final Settings settings;
    private final Path root;

    /**
     * @param settings how much to record
     * @param root the repository root
     */
    ProfileBenchmark(Settings settings, Path root) {
        this.settings = settings;
        this.root = root;
    }

    @Override
    public String id() {
        return "profile";
    }

    @Override
    public String title() {
        return "Where the time goes (JDK Flight Recorder)";
    }

    @Override
    public Kind kind() {
        return Kind.PROFILE;
    }

    @Override
    public Outcome run() throws Exception {
        Settings s = settings;
        List<String> details = new ArrayList<>();
        String shipped;
        try (RuntimeLauncher launcher = new RuntimeLauncher(root);
                ScratchDir scratch = new ScratchDir("ikbench-profile");
                LoadClientProcess client = LoadClientProcess.start();
                SocketProbe probe = new SocketProbe()) {
            shipped = launcher.shippedOptions();
            Path home = scratch.dir("home");
            Path jfr = scratch.dir("jfr");
            Path startup = jfr.resolve("startup.jfr");
            Progress.say("profile: start-up");
            try (RuntimeProcess rt = launcher.start(Variant.SHIPPED, home,
                    "-XX:StartFlightRecording=name=startup,settings=profile", s.timeout())) {
                double seconds = RuntimeLauncher.awaitSockets(rt, probe, s.timeout()) / 1e9;
                jcmd(rt, "JFR.stop", "name=startup", "filename=" + startup);
                details.addAll(JfrSummary.of(startup).render("Start-up", String.format(Locale.ROOT, "From the JVM's "
                        + "start until the three sockets answered (%.2f s with the recording on).", seconds), true));

                Path hs = rt.plugins().resolve(ProcessBenchmark.HANDSHAKE_SOCKET);
                Path files = rt.plugins().resolve("instance-file");
                Progress.say("profile: handshake");
                client.run(hs, ProcessBenchmark.HANDSHAKE, "{}", 1, Math.max(1, s.handshakeCalls() / 5), null);
                Path handshake = jfr.resolve("handshake.jfr");
                jcmd(rt, "JFR.start", "name=handshake", "settings=profile");
                LoadClientProcess.Load one = client.run(hs, ProcessBenchmark.HANDSHAKE, "{}", 1,
                        s.handshakeCalls() / 2, null);
                LoadClientProcess.Load many = client.run(hs, ProcessBenchmark.HANDSHAKE, "{}", s.clients(),
                        Math.max(1, s.handshakeCalls() / 2 / s.clients()), null);
                jcmd(rt, "JFR.stop", "name=handshake", "filename=" + handshake);
                details.addAll(JfrSummary.of(handshake).render("Handshake path", String.format(Locale.ROOT,
                        "`%s` on the `%s` socket after a warm-up: %,d calls on one connection (%,.0f calls/s with "
                                + "the recording on), then %,d on %d connections (%,.0f calls/s).",
                        ProcessBenchmark.HANDSHAKE, ProcessBenchmark.HANDSHAKE_SOCKET, one.calls(),
                        one.callsPerSecond(), many.calls(), s.clients(), many.callsPerSecond()), false));

                Progress.say("profile: provision");
                client.run(files, ProcessBenchmark.PROVISION, ProcessBenchmark.PROVISION_PARAMS, 1,
                        Math.max(1, s.provisionCalls() / 5), null);
                Path provision = jfr.resolve("provision.jfr");
                jcmd(rt, "JFR.start", "name=provision", "settings=profile");
                LoadClientProcess.Load p1 = client.run(files, ProcessBenchmark.PROVISION,
                        ProcessBenchmark.PROVISION_PARAMS, 1, s.provisionCalls() / 2, null);
                LoadClientProcess.Load pN = client.run(files, ProcessBenchmark.PROVISION,
                        ProcessBenchmark.PROVISION_PARAMS, s.clients(),
                        Math.max(1, s.provisionCalls() / 2 / s.clients()), null);
                jcmd(rt, "JFR.stop", "name=provision", "filename=" + provision);
                details.addAll(JfrSummary.of(provision).render("Provision path", String.format(Locale.ROOT,
                        "`%s` on the `instance-file` socket after a warm-up: %,d calls on one connection "
                                + "(%,.0f calls/s with the recording on), then %,d on %d connections (%,.0f calls/s).",
                        ProcessBenchmark.PROVISION, p1.calls(), p1.callsPerSecond(), pN.calls(), s.clients(),
                        pN.callsPerSecond()), false));
            }
            Path kept = root.resolve("org.infrakit.bench/target/profile");
            Files.createDirectories(kept);
            for (String name : List.of("startup.jfr", "handshake.jfr", "provision.jfr")) {
                Files.copy(jfr.resolve(name), kept.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            details.add("The recordings are kept in `org.infrakit.bench/target/profile/` (`startup.jfr`, "
                    + "`handshake.jfr`, `provision.jfr`) for `jfr print` or JDK Mission Control.");
            details.add("");
        }
        List<String> method = List.of(String.format(Locale.ROOT, "`bin/infrakit-runtime` with `INFRAKIT_JAVA_OPTS="
                + "\"%s -XX:StartFlightRecording=name=startup,settings=profile\"` (the shipped options plus a flight "
                + "recording from the JVM's start); `jcmd <pid> JFR.stop` when the sockets answer; then `jcmd "
                + "JFR.start settings=profile` / `JFR.stop` around the handshake load and around the provision "
                + "load, driven by the load client process. The summaries read the recordings with "
                + "`jdk.jfr.consumer`: execution samples by top frame (self time), by the first `org.infrakit` "
                + "frame on the stack, by thread, and allocation samples by weight. The recording slows what it "
                + "records; these runs are not the measured ones.", shipped));
        return new Outcome(List.of(), List.of(), details, method, List.of());
    }

    /** Runs {@code jcmd <pid> <command> <args>} with the benchmark's JDK, and fails with its output. */
    private void jcmd(RuntimeProcess rt, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(rt.pid()));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(settings.timeout().toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0 || text.contains("Exception") || text.contains("Could not")) {
            throw new IOException(String.join(" ", cmd) + " failed: " + text.replace('\n', ' '));
        }
        String file = List.of(command).stream().filter(a -> a.startsWith("filename=")).findFirst().orElse(null);
        if (file != null && !Files.isRegularFile(Path.of(file.substring("filename=".length())))) {
            throw new IOException(String.join(" ", cmd) + " wrote no recording: " + text.replace('\n', ' '));
        }
    }
}
