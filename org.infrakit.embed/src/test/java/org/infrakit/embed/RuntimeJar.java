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

/**
 * The exported runtime ({@code run/target/infrakit.jar}) as a real process, as users start it
 * headless: working directory and {@code INFRAKIT_HOME} a temporary home, standard input
 * {@code /dev/null}, standard output and error together in {@code <home>/output.txt}.
 */
final class RuntimeJar implements AutoCloseable {
    /** The default plugins' sockets. */
    static final List<String> SOCKETS = List.of("flavor-vanilla", "group", "instance-file");
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private final Process process;
    private final Path home;
    private final Path output;

    private RuntimeJar(Process process, Path home, Path output) {
        this.process = process;
        this.home = home;
        this.output = output;
    }

    /**
     * Starts the runtime and waits until its three default sockets answer.
     *
     * @param home its home (a short path: unix socket paths are limited to about 108 bytes)
     * @param properties extra {@code -Dkey=value} arguments
     * @return the running runtime
     */
    static RuntimeJar start(Path home, String... properties) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("infrakit.jar", "../run/target/infrakit.jar"));
        assertThat(jar).as("the executable jar (build the run module first)").isRegularFile();
        Path output = home.resolve("output.txt");
        Files.createDirectories(home.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + home.resolve("tmp")));
        command.addAll(List.of(properties));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("INFRAKIT_HOME", home.toString());
        builder.environment().remove("INFRAKIT_PLUGINS_DIR");
        RuntimeJar runtime = new RuntimeJar(builder.start(), home, output);
        Path plugins = runtime.plugins();
        boolean up = TestDirs.await(90_000, () -> !runtime.process.isAlive()
                || SOCKETS.stream().allMatch(n -> UnixHttp.answers(plugins.resolve(n))));
        assertThat(runtime.process.isAlive())
                .as("running headless with stdin at end of input; output:%n%s", runtime.output()).isTrue();
        assertThat(up).as("the sockets answer; output:%n%s", runtime.output()).isTrue();
        return runtime;
    }

    /** @return the plugins directory, where the sockets are */
    Path plugins() {
        return home.resolve("plugins");
    }

    /** @return what the runtime printed so far */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /**
     * Sends SIGTERM and waits for the process to end.
     *
     * @return its exit code
     */
    int terminate() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM; output:%n%s", output()).isTrue();
        return process.exitValue();
    }

    /** Kills the process if it still runs (a failed test). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
