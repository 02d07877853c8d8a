package org.infrakit.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executable jar ({@code run/target/infrakit.jar}) as users run it: a real JVM with a
 * temporary {@code INFRAKIT_HOME}, standard input not a terminal, stopped with SIGTERM.
 */
class RuntimeProcessTest {
    private static final List<String> SOCKETS = List.of("group", "instance-file", "flavor-vanilla");

    private Path home;
    private Process process;

    @BeforeEach
    void setUp() throws Exception {
        home = TestDirs.shortTempDir("ik-proc");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        TestDirs.deleteTree(home);
    }

    @Test
    void runsHeadlessServesTheSocketsCommitsAGroupAndStopsCleanlyOnSigterm() throws Exception {
        Path jar = Path.of(System.getProperty("infrakit.jar", "../run/target/infrakit.jar"));
        assertThat(jar).as("the executable jar (build the run module first)").isRegularFile();
        Path output = home.resolve("output.txt");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + home.resolve("tmp"),
                "-Dinfrakit.log.level=5", "-jar", jar.toAbsolutePath().toString()));
        Files.createDirectories(home.resolve("tmp"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("INFRAKIT_HOME", home.toString());
        builder.environment().remove("INFRAKIT_PLUGINS_DIR");
        process = builder.start();
        Path plugins = home.resolve("plugins");

        boolean up = TestDirs.await(90_000, () -> !process.isAlive()
                || SOCKETS.stream().allMatch(n -> UnixHttp.answers(plugins.resolve(n))));
        assertThat(process.isAlive()).as("running headless with stdin at end of input; output:%n%s", log(output))
                .isTrue();
        assertThat(up).as("the sockets answer; output:%n%s", log(output)).isTrue();

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
        assertThat(log(output)).contains("Group.CommitGroup");

        process.destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
        // 128 + SIGTERM: the JVM's exit code after a signal, once the shutdown hook stopped the framework
        assertThat(process.exitValue()).isEqualTo(143);
        assertThat(TestDirs.names(plugins)).as("no sockets left").isEmpty();
        assertThat(log(output)).contains("Runtime stopped").doesNotContain("did not stop");
        for (String d : List.of("plugins", "instances", "groups", "felix-cache", "logs")) {
            assertThat(home.resolve(d)).isDirectory();
        }
    }

    private static String log(Path output) {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
