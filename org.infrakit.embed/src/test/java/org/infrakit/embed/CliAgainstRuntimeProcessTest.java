package org.infrakit.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
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
 * The command-line client ({@code org.infrakit.cli/target/infrakit-cli.jar}) as a real process
 * against the runtime as a real process ({@code run/target/infrakit.jar}, started by
 * {@link RuntimeJar}: headless, a temporary {@code INFRAKIT_HOME}, stopped with SIGTERM).
 * Both find each other only through {@code INFRAKIT_HOME}: the client asks the sockets of
 * {@code $INFRAKIT_HOME/plugins}, the instance files appear in {@code $INFRAKIT_HOME/instances}.
 */
class CliAgainstRuntimeProcessTest {
    /** The describe table's format (cli.md §2.2). */
    private static final String ROW = "%-30s\t%-30s\t%s\n";

    private Path home;
    private Path work;
    private RuntimeJar runtime;

    /** What a run of the client left. */
    private record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        home = TestDirs.shortTempDir("ik-cli");
        work = Files.createDirectories(home.resolve("work"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (runtime != null) {
            runtime.close();
        }
        TestDirs.deleteTree(home);
    }

    @Test
    void theClientDrivesTheRuntimeFromPluginLsToGroupDestroy() throws Exception {
        runtime = RuntimeJar.start(home);
        Path plugins = runtime.plugins();
        Path instances = home.resolve("instances");

        Run ls = infrakit("plugin", "ls");
        assertThat(ls.code()).as("%s", ls).isZero();
        String row = "%-20s%-50s%s\n";
        assertThat(ls.out()).isEqualTo(String.format(row, "INTERFACE", "LISTEN", "NAME")
                + String.format(row, "Flavor/0.1.0", plugins.resolve("flavor-vanilla"), "flavor-vanilla")
                + String.format(row, "Group/0.1.0", plugins.resolve("group"), "group")
                + String.format(row, "Instance/0.6.0", plugins.resolve("instance-file"), "instance-file"));
        assertThat(ls.err()).isEmpty();

        Files.writeString(work.resolve("cattle.json"), """
                {"ID":"cattle","Properties":{"Allocation":{"Size":2},
                 "Instance":{"Plugin":"instance-file","Properties":{"Note":"cli"}},
                 "Flavor":{"Plugin":"flavor-vanilla","Properties":{"Init":["echo hi"],"Tags":{"tier":"cli"}}}}}""");

        Run pretend = infrakit("group", "commit", "cattle.json", "--pretend");
        assertThat(pretend.code()).as("%s", pretend).isZero();
        assertThat(pretend.out()).isEqualTo("Committing cattle would involve: Managing 2 instances\n");
        assertThat(pretend.err()).isEmpty();
        Run noGroups = infrakit("group", "inspect", "-o", "json");
        assertThat(noGroups.code()).as("%s", noGroups).isZero();
        assertThat(noGroups.out()).as("nothing committed").isEqualTo("[]\n");
        assertThat(instanceFiles(instances)).isEmpty();

        Run commit = infrakit("group", "commit", "cattle.json");
        assertThat(commit.code()).as("%s", commit).isZero();
        assertThat(commit.out()).isEqualTo("Committed cattle: Managing 2 instances\n");
        assertThat(commit.err()).isEmpty();
        assertThat(TestDirs.await(15_000, () -> instanceFiles(instances).size() == 2))
                .as("two instance files in %s", instances).isTrue();
        List<String> ids = instanceFiles(instances);

        Run describe = infrakit("group", "describe", "cattle");
        assertThat(describe.code()).as("%s", describe).isZero();
        assertThat(describe.err()).isEmpty();
        List<String> lines = describe.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0) + "\n").isEqualTo(String.format(ROW, "ID", "LOGICAL", "TAGS"));
        assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l)
                .matches("instance-\\d+ +\t  - {27}\tinfrakit\\.config_sha=\\w+,infrakit\\.group=cattle,tier=cli"));
        assertThat(lines.subList(1, 3)).extracting(l -> l.split("\t")[0].strip())
                .containsExactlyInAnyOrderElementsOf(ids);

        // the same instances, asked of the instance plugin by its socket name
        Run instanceDescribe = infrakit("instance-file", "describe", "--tags", "infrakit.group=cattle");
        assertThat(instanceDescribe.code()).as("%s", instanceDescribe).isZero();
        assertThat(instanceDescribe.err()).isEmpty();
        assertThat(instanceDescribe.out()).startsWith(String.format(ROW, "ID", "LOGICAL", "TAGS"));
        assertThat(instanceDescribe.out().lines().skip(1).map(l -> l.split("\t")[0].strip()))
                .containsExactlyInAnyOrderElementsOf(ids);

        Run valid = infrakit("flavor-vanilla", "validate", "{\"Init\":[\"echo hi\"]}", "--size", "2");
        assertThat(valid.code()).as("%s", valid).isZero();
        assertThat(valid.out()).isEqualTo("validate:ok\n");
        assertThat(valid.err()).isEmpty();
        // the plugin's own error through the runtime's bridge: exit 1, one line
        Run invalid = infrakit("flavor-vanilla", "validate", "{\"Init\":5}");
        assertThat(invalid.code()).as("%s", invalid).isEqualTo(1);
        assertThat(invalid.errLines()).hasSize(1);
        assertThat(invalid.out()).isEmpty();

        Run destroy = infrakit("group", "destroy", "cattle");
        assertThat(destroy.code()).as("%s", destroy).isZero();
        assertThat(destroy.out()).isEqualTo("Destroy cattle initiated\n");
        assertThat(destroy.err()).isEmpty();
        assertThat(TestDirs.await(15_000, () -> TestDirs.names(instances).isEmpty()))
                .as("no files left in %s: %s", instances, TestDirs.names(instances)).isTrue();

        Run missing = infrakit("instance-nope", "describe");
        assertThat(missing.code()).as("%s", missing).isEqualTo(3);
        assertThat(missing.errLines()).containsExactly("no plugin named 'instance-nope' in " + plugins
                + " (plugins: " + String.join(", ", RuntimeJar.SOCKETS) + ")");
        assertThat(missing.out()).isEmpty();

        assertThat(runtime.terminate()).isEqualTo(143);
        // no runtime at all: the client still answers, with nothing to list
        Run none = infrakit("plugin", "ls");
        assertThat(none.code()).as("%s", none).isZero();
        assertThat(none.out()).isEqualTo(String.format(row, "INTERFACE", "LISTEN", "NAME"));
    }

    /**
     * Runs {@code java -jar infrakit-cli.jar ARGS} in the work directory, with this test's home and
     * an empty standard input.
     */
    private Run infrakit(String... args) throws Exception {
        Path jar = Path.of(System.getProperty("infrakit.cli.jar", "../org.infrakit.cli/target/infrakit-cli.jar"));
        assertThat(jar).as("the client's executable jar (build the org.infrakit.cli module first)").isRegularFile();
        List<String> command = new ArrayList<>(List.of(RuntimeJar.JAVA, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto", "-jar", jar.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = home.resolve("cli.out");
        Path err = home.resolve("cli.err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("INFRAKIT_HOME", home.toString());
        builder.environment().remove("INFRAKIT_PLUGINS_DIR");
        builder.environment().remove("INFRAKIT_CLIENT_TIMEOUT");
        Process p = builder.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("infrakit " + String.join(" ", args) + " did not end within 30 s");
        }
        return new Run(p.exitValue(), read(out), read(err));
    }

    private static List<String> instanceFiles(Path instances) {
        return TestDirs.names(instances).stream().filter(n -> n.startsWith("instance-")).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(not readable: " + e + ")";
        }
    }
}
