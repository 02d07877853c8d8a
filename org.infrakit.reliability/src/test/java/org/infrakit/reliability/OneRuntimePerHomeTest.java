package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.infrakit.rpc.client.GroupPluginProxy;
import org.infrakit.rpc.client.JsonRpcClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One runtime per {@code INFRAKIT_HOME}, with real processes of the runtime jar: a second one is
 * refused in one line naming the home and the pid that holds it, exits non-zero and leaves the
 * first one's state (bundle cache, sockets, groups) alone; a lock left by kill -9 never blocks a
 * restart; of two runtimes started at the same moment exactly one runs.
 */
class OneRuntimePerHomeTest {
    /** Exit status of a refused runtime (HomeLockAgent.REFUSED). */
    static final int REFUSED = 3;

    private Path home;
    private final List<RuntimeJar> runtimes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (RuntimeJar r : runtimes) {
            r.close();
        }
        TempDirs.delete(home);
    }

    private RuntimeJar start(String name) throws Exception {
        RuntimeJar r = RuntimeJar.start(home, Scale.outDir().resolve("reliability-home-" + name + ".log"));
        runtimes.add(r);
        return r;
    }

    private static String refusal(RuntimeJar r) throws Exception {
        return r.output().lines().filter(l -> l.contains("Another InfraKit runtime")).findFirst()
                .orElseThrow(() -> new AssertionError("no refusal line; " + r.tail()));
    }

    @Test
    void aSecondRuntimeIsRefusedNamingTheHomeAndThePidAndLeavesTheFirstAlone() throws Exception {
        home = TempDirs.create();
        RuntimeJar first = start("first");
        first.awaitServing(Duration.ofSeconds(90));
        Path cache = home.resolve("felix-cache");
        List<String> bundles;
        try (var s = Files.list(cache)) {
            bundles = s.map(p -> p.getFileName().toString()).sorted().toList();
        }

        RuntimeJar second = start("second");
        assertThat(second.awaitExit(Duration.ofSeconds(60))).as("the exit status of the refused runtime")
                .isEqualTo(REFUSED);
        assertThat(refusal(second)).isEqualTo("infrakit-runtime: Another InfraKit runtime (pid " + first.pid()
                + ") is running in " + home.toRealPath() + "; stop it first, or give this one another INFRAKIT_HOME");
        assertThat(second.output().lines().count()).as("the refused runtime says one line: %s", second.output())
                .isEqualTo(1);

        try (var s = Files.list(cache)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .as("the first runtime's bundle cache is untouched").isEqualTo(bundles);
        }
        first.awaitServing(Duration.ofSeconds(10));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(PluginHost.named("rel-home"));
        try (JsonRpcClient client = new JsonRpcClient(first.plugins().resolve(PluginHost.GROUP), 30_000, timer,
                false)) {
            GroupPluginProxy group = new GroupPluginProxy(client);
            group.commitGroup(Specs.cattle("solo", 2, PluginHost.INSTANCE, "v1"), false);
            assertThat(group.inspectGroups()).hasSize(1);
        } finally {
            timer.shutdownNow();
        }
        assertThat(first.stop()).isEqualTo(143);
    }

    @Test
    void aLockLeftByKillNineNeverBlocksARestart() throws Exception {
        home = TempDirs.create();
        RuntimeJar first = start("killed");
        first.awaitServing(Duration.ofSeconds(90));
        assertThat(Files.readString(home.resolve("runtime.lock"), StandardCharsets.US_ASCII).trim())
                .isEqualTo(Long.toString(first.pid()));
        assertThat(first.kill()).isEqualTo(137);

        RuntimeJar next = start("after-kill");
        next.awaitServing(Duration.ofSeconds(90));
        assertThat(Files.readString(home.resolve("runtime.lock"), StandardCharsets.US_ASCII).trim())
                .isEqualTo(Long.toString(next.pid()));
    }

    @Test
    void ofTwoSimultaneousStartsExactlyOneRuns() throws Exception {
        for (int round = 0; round < Scale.times(2); round++) {
            home = TempDirs.create();
            RuntimeJar a = start("race-a-" + round);
            RuntimeJar b = start("race-b-" + round);
            Poll.until(Duration.ofSeconds(60), () -> a.isAlive() && b.isAlive() ? "both still run" : null,
                    "one of two simultaneous runtimes to be refused");
            RuntimeJar loser = a.isAlive() ? b : a;
            RuntimeJar winner = loser == a ? b : a;
            assertThat(loser.awaitExit(Duration.ofSeconds(10))).isEqualTo(REFUSED);
            assertThat(refusal(loser)).contains("(pid " + winner.pid() + ")");
            winner.awaitServing(Duration.ofSeconds(90));
            assertThat(winner.stop()).isEqualTo(143);
            runtimes.clear();
            TempDirs.delete(home);
        }
    }
}
