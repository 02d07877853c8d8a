package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.infrakit.conformance.CheckResult;
import org.infrakit.conformance.Conformance;
import org.infrakit.conformance.Options;
import org.infrakit.conformance.Report;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against the shipped runtime ({@link RuntimeJar}) as a process: its three
 * default plugins, the example flavor bundle dropped into its {@code deploy/} folder, and the
 * Python example plugin serving a socket in its plugins directory. Every check must pass, and
 * the runtime must hold no group and no instance afterwards.
 */
class RuntimeConformanceTest {
    private Path home;
    private RuntimeJar runtime;
    private Process python;

    @AfterEach
    void stop() throws Exception {
        if (python != null) {
            python.destroy();
            python.waitFor(10, TimeUnit.SECONDS);
        }
        if (runtime != null) {
            runtime.close();
        }
        TempDirs.delete(home);
    }

    private static Report check(Path socket, Options options) {
        Report r = Conformance.check(socket, options);
        System.out.print("--- " + socket.getFileName() + "\n" + r.text());
        return r;
    }

    private static List<String> notPassed(Report r) {
        return r.checks().stream().filter(c -> c.status() != CheckResult.Status.PASS).map(CheckResult::line).toList();
    }

    @Test
    void everyPluginOfTheRuntimeConforms() throws Exception {
        home = TempDirs.create();
        runtime = RuntimeJar.start(home, Scale.outDir().resolve("reliability-conformance.log"));
        runtime.awaitServing(Duration.ofSeconds(60));
        Path example = Path.of(System.getProperty("example.flavor.jar"));
        Files.createDirectories(home.resolve("deploy"));
        Files.copy(example, home.resolve("deploy").resolve(example.getFileName() + ".tmp"));
        // renamed into place, so that the deploy folder never sees half a jar
        Files.move(home.resolve("deploy").resolve(example.getFileName() + ".tmp"),
                home.resolve("deploy").resolve(example.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        Path plugins = runtime.plugins();
        python = new ProcessBuilder("python3", System.getProperty("python.example"), "--name", "instance-py",
                "--plugins-dir", plugins.toString()).redirectErrorStream(true)
                .redirectOutput(Scale.outDir().resolve("reliability-conformance-python.log").toFile()).start();
        Poll.until(Duration.ofSeconds(30), () -> {
            for (String name : List.of("flavor-example", "instance-py")) {
                try {
                    Replies.assertServes(plugins.resolve(name));
                } catch (AssertionError e) {
                    return e.getMessage() + "; " + runtime.tail();
                }
            }
            return null;
        }, "the example flavor and the Python example to answer");

        for (String name : List.of("group", "instance-file", "flavor-vanilla", "flavor-example", "instance-py")) {
            Report r = check(plugins.resolve(name), Options.DEFAULTS);
            assertThat(notPassed(r)).as(name).isEmpty();
            assertThat(r.exitCode()).isZero();
        }
        // the group checks again, with the example flavor in the group they commit
        Report withExample = check(plugins.resolve("group"), Options.DEFAULTS.withGroupPlugins("instance-file",
                "flavor-example"));
        assertThat(notPassed(withExample)).isEmpty();
        assertThat(withExample.checks()).extracting(CheckResult::name).contains("group.DescribeGroup.converges");

        try (var left = Files.list(home.resolve("instances"))) {
            assertThat(left.filter(p -> !p.getFileName().toString().startsWith("."))).isEmpty();
        }
    }
}
