package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.infrakit.group.impl.GroupTags;
import org.infrakit.rpc.client.GroupPluginProxy;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.rpc.impl.server.SocketFiles;
import org.infrakit.spi.GroupSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real runtime ({@link RuntimeJar}) is killed with SIGKILL in the middle of a rolling update,
 * then started again in the same home: it replaces the sockets the killed one left, resumes the
 * update from the stored spec, and the group converges with nothing lost and nothing duplicated:
 * exactly the target number of instances, all on the new configuration, the ones updated before
 * the kill among them, no temporary file left in {@code instances/} or {@code groups/}.
 */
class RuntimeKilledDuringRollTest {
    /**
     * The group's size. The runtime replaces a member of a group of vanilla instances every few
     * milliseconds (a replacement is healthy at once), so the group must be large enough for the
     * roll to last a good fraction of a second: the test sees it under way and kills it before it
     * ends, also on a busy machine.
     */
    static final int SIZE = 40;
    /**
     * How old the file instance plugin wants a temporary file before a start removes it: a minute
     * (InstanceDirs, which explains why), plus a margin.
     */
    static final Duration TEMPORARY_AGE = Duration.ofSeconds(70);

    private Path home;
    private RuntimeJar runtime;
    private JsonRpcClient client;
    private ScheduledExecutorService timer;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        TempDirs.delete(home);
    }

    private RuntimeJar start(int n) throws Exception {
        if (client != null) {
            client.close();
        }
        runtime = RuntimeJar.start(home, Scale.outDir().resolve("reliability-runtime-" + n + ".log"));
        runtime.awaitServing(Duration.ofSeconds(90));
        client = new JsonRpcClient(runtime.plugins().resolve(PluginHost.GROUP), 30_000, timer, false);
        return runtime;
    }

    @Test
    void theRuntimeKilledMidRollResumesAndConverges() throws Exception {
        home = TempDirs.create();
        timer = Executors.newSingleThreadScheduledExecutor(PluginHost.named("rel-kill-timer"));
        Path instances = home.resolve("instances");
        Path groups = home.resolve("groups");
        // read by the runtime as it starts: a group checked every second, a roll going on as soon
        // as a replacement is healthy
        Files.createDirectories(home.resolve("deploy"));
        Files.writeString(home.resolve("deploy").resolve("org.infrakit.group.cfg"),
                "poll.interval=1s\nupdate.poll.interval=100ms\n", StandardCharsets.UTF_8);

        RuntimeJar first = start(1);
        GroupPluginProxy group = new GroupPluginProxy(client);
        GroupSpec v1 = Specs.cattle("roll", SIZE, PluginHost.INSTANCE, "v1");
        GroupSpec v2 = Specs.cattle("roll", SIZE, PluginHost.INSTANCE, "v2");
        String h1 = Specs.hash(v1);
        String h2 = Specs.hash(v2);
        group.commitGroup(v1, false);
        new Convergence(instances, group, "roll").await(SIZE, h1, Duration.ofSeconds(60), Duration.ofMillis(300));

        assertThat(group.commitGroup(v2, false)).isEqualTo("Performing a rolling update on " + SIZE + " instances");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (members(instances, h2).size() < 2) {
            assertThat(System.nanoTime() - deadline).as("the rolling update started within 30 s").isNegative();
            Poll.sleep(2);
        }
        assertThat(first.kill()).as("the exit status of a JVM killed by SIGKILL").isEqualTo(137);

        Set<String> updated = members(instances, h2);
        assertThat(updated).as("members on the new configuration when killed").hasSizeGreaterThanOrEqualTo(2);
        assertThat(members(instances, h1)).as("members still on the old configuration when killed: the roll was"
                + " under way (%d of %d done)", updated.size(), SIZE).isNotEmpty();
        for (String name : RuntimeJar.SOCKETS) {
            assertThat(SocketFiles.isSocket(first.plugins().resolve(name))).as("a killed runtime leaves its socket %s",
                    name).isTrue();
        }
        // A write cut by the kill leaves its temporary file; the plugin removes such files at a
        // start once they are a minute old, and keeps younger ones, which may still be another
        // writer's. The restart is made to come a minute after the kill by ageing them; one more is
        // put there so that every run sees the removal. A roll stores no spec, so this kill cannot
        // cut a write of groups/; one is put there as a kill during CommitGroup would leave it.
        long aged = System.currentTimeMillis() - TEMPORARY_AGE.toMillis();
        Files.writeString(instances.resolve(".instance-1.5eed.infrakit-tmp"), "{\"ID\":\"instance-1\",",
                StandardCharsets.UTF_8);
        for (String temporary : InstanceFiles.read(instances).temporaries()) {
            Files.setLastModifiedTime(instances.resolve(temporary), FileTime.fromMillis(aged));
        }
        Files.writeString(groups.resolve(".tmp-8151130716.json"), "{\"ID\":\"roll\",", StandardCharsets.UTF_8);

        RuntimeJar second = start(2);
        GroupPluginProxy again = new GroupPluginProxy(client);
        Set<String> converged = new Convergence(instances, again, "roll").await(SIZE, h2, Duration.ofSeconds(60),
                Duration.ofSeconds(1));
        assertThat(converged).as("the members updated before the kill are kept").containsAll(updated);
        try (Stream<Path> specs = Files.list(groups)) {
            assertThat(specs.map(p -> p.getFileName().toString())).as("the group state directory")
                    .containsExactly("roll.json");
        }
        assertThat(again.inspectGroups()).singleElement().satisfies(s -> assertThat(Specs.hash(s)).isEqualTo(h2));

        // a SIGTERM stops it cleanly: its sockets are removed
        client.close();
        client = null;
        assertThat(second.stop()).as("the exit status after SIGTERM").isEqualTo(143);
        try (Stream<Path> left = Files.list(second.plugins())) {
            assertThat(left).as("sockets left after a clean stop").isEmpty();
        }
    }

    /** @return the IDs of the instance files on the configuration {@code hash} */
    private static Set<String> members(Path dir, String hash) {
        return InstanceFiles.read(dir).instances().values().stream()
                .filter(m -> hash.equals(m.tag(GroupTags.CONFIG_SHA))).map(InstanceFiles.Member::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
