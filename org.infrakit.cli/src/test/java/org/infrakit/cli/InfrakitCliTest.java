package org.infrakit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's own parsing, in process; the verbs against real sockets are in {@link CliProcessIT}. */
class InfrakitCliTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        InfrakitCli cli = new InfrakitCli(Map.of("INFRAKIT_PLUGINS_DIR", dir.toString()), "/nonexistent", dir,
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return cli.run(List.of(args));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void logLevels() {
        assertThat(run("--log", "x", "plugin", "ls")).isEqualTo(2);
        assertThat(err()).isEqualTo("--log takes a level from 0 to 5\n");
        err.reset();
        assertThat(run("--log=9")).isEqualTo(2);
        assertThat(err()).isEqualTo("--log takes a level from 0 to 5\n");
        err.reset();
        assertThat(run("--log=3", "plugin", "ls", "-q")).isZero();
        assertThat(err()).isEmpty();
    }

    @Test
    void kindOption() {
        assertThat(run("group", "--kind")).isEqualTo(2);
        assertThat(err()).isEqualTo("--kind takes group, instance or flavor\n");
        err.reset();
        assertThat(run("group", "ls", "--kind=metadata")).isEqualTo(2);
        assertThat(err()).isEqualTo("unknown kind 'metadata' (--kind takes group, instance or flavor)\n");
    }

    @Test
    void pluginCommandUsage() {
        assertThat(run("plugin")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: infrakit plugin ls");
        assertThat(err()).isEqualTo("missing plugin command (one of: ls)\n");
    }

    @Test
    void kindCommandsParseBeforeTheyLookForThePlugin() {
        assertThat(run("group", "describe")).isEqualTo(2);
        assertThat(err()).isEqualTo("describe: missing ID (usage: describe ID [options])\n");
        err.reset();
        assertThat(run("instance", "describe")).isEqualTo(3);
        assertThat(err()).isEqualTo("no plugin named 'instance-file' in " + dir + " (no plugins)\n");
    }

    @Test
    void version() {
        assertThat(run("version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("infrakit ");
    }
}
