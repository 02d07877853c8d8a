package org.infrakit.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executable jar ({@code run/target/infrakit.jar}) as users run it: a real JVM with a
 * temporary {@code INFRAKIT_HOME}, standard input not a terminal, stopped with SIGTERM.
 */
class RuntimeProcessTest {
    private Path home;
    private RuntimeJar runtime;

    @BeforeEach
    void setUp() throws Exception {
        home = TestDirs.shortTempDir("ik-proc");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        TestDirs.deleteTree(home);
    }

    @Test
    void runsHeadlessServesTheSocketsCommitsAGroupAndStopsCleanlyOnSigterm() throws Exception {
        runtime = RuntimeJar.start(home, "-Dinfrakit.log.level=5");
        Path plugins = runtime.plugins();

        String reply = UnixHttp.post(plugins.resolve("group"), """
                {"jsonrpc":"2.0","method":"Group.CommitGroup","id":7,"params":{"Pretend":false,"Spec":{"ID":"web",
                 "Properties":{"Allocation":{"Size":3},
                  "Instance":{"Plugin":"instance-file","Properties":{"Note":"process test"}},
                  "Flavor":{"Plugin":"flavor-vanilla","Properties":{"Init":["echo hello"]}}}}}}""");
        assertThat(reply).contains("\"result\"").contains("\"id\":7");
        Path instances = home.resolve("instances");
        assertThat(TestDirs.await(30_000, () -> TestDirs.names(instances).stream()
                .filter(n -> n.startsWith("instance-")).count() == 3)).as("three instance files").isTrue();
        // --log 5 (infrakit.log.level=5) makes the bridge log every request
        assertThat(runtime.output()).contains("Group.CommitGroup");

        // 128 + SIGTERM: the JVM's exit code after a signal, once the shutdown hook stopped the framework
        assertThat(runtime.terminate()).isEqualTo(143);
        assertThat(TestDirs.names(plugins)).as("no sockets left").isEmpty();
        assertThat(runtime.output()).contains("Runtime stopped").doesNotContain("did not stop");
        for (String d : List.of("plugins", "instances", "groups", "felix-cache", "logs")) {
            assertThat(home.resolve(d)).isDirectory();
        }
    }

    @Test
    void aCfgFileInTheDeployFolderIsAppliedAtEveryStartAndNeverRewritten() throws Exception {
        Path cfg = Files.createDirectories(home.resolve("deploy")).resolve("org.infrakit.group.cfg");
        String text = "# the group plugin of this machine\npoll.interval = 3s\nupdate.poll.interval = 150ms\n";
        Files.writeString(cfg, text);
        for (int start = 1; start <= 3; start++) {
            runtime = RuntimeJar.start(home);
            RuntimeJar running = runtime;
            assertThat(TestDirs.await(20_000, () -> running.output().contains(
                    "Group plugin: poll interval 3s, update poll interval 150ms")))
                    .as("start %d applies %s; output:%n%s", start, cfg, running.output()).isTrue();
            assertThat(runtime.terminate()).isEqualTo(143);
            assertThat(Files.readString(cfg)).as("after start %d", start).isEqualTo(text);
        }
    }
}
