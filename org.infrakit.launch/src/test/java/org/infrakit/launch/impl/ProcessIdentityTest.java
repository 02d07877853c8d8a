package org.infrakit.launch.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProcessIdentityTest {
    private Fixture fx;

    @BeforeEach
    void setUp() throws IOException {
        fx = new Fixture();
    }

    @AfterEach
    void tearDown() throws IOException {
        fx.close();
    }

    @Test
    void readsTheStartTicksEvenWhenTheCommandNameHasParenthesesAndBlanks() {
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assertThat(ProcessIdentity.startTicks(stat)).isEqualTo("987654");
        assertThat(ProcessIdentity.startTicks("garbage")).isNull();
        assertThat(ProcessIdentity.startTicks("1 (x) S 1 2")).isNull();
    }

    @Test
    void identifiesALiveProcessByStartAndCommandLine() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessIdentity id = ProcessIdentity.of(p.pid()).orElseThrow();
            assertThat(id.pid()).isEqualTo(p.pid());
            assertThat(id.commandLine()).containsExactly("sleep", "30");
            assertThat(id.start()).matches("ticks:\\d+");
            // stable: read again, the same
            assertThat(ProcessIdentity.of(p.pid())).contains(id);

            LaunchRecord same = new LaunchRecord("x", p.pid(), id.start(), "t", List.of("sleep", "30"), id.commandLine(),
                    true);
            assertThat(same.matches(id)).isTrue();
            LaunchRecord otherStart = new LaunchRecord("x", p.pid(), "ticks:1", "t", List.of(), id.commandLine(), true);
            assertThat(otherStart.matches(id)).isFalse();
            LaunchRecord otherCommand = new LaunchRecord("x", p.pid(), id.start(), "t", List.of(), List.of("sleep", "31"),
                    true);
            assertThat(otherCommand.matches(id)).isFalse();
        } finally {
            p.destroyForcibly().waitFor();
        }
        assertThat(ProcessIdentity.of(p.pid())).isEmpty();
    }

    @Test
    void recordsAreWrittenAtomicallyAndReadBack() throws Exception {
        Path file = fx.paths.record("x");
        LaunchRecord r = new LaunchRecord("x", 123, "ticks:456", "2025-01-01T00:00:00Z", List.of("a", "b c"),
                List.of("/usr/bin/a", "b c"), true);
        r.write(file);
        assertThat(LaunchRecord.read(file)).contains(r);
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("{\"name\":\"x\",\"pid\":123,\"start\":\"ticks:456\","
                + "\"started\":\"2025-01-01T00:00:00Z\",\"command\":[\"a\",\"b c\"],\"commandLine\":[\"/usr/bin/a\",\"b c\"],"
                + "\"detachable\":true}");
        r.write(file); // replaced, and no temporary file is left
        try (var files = java.nio.file.Files.list(file.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("x.json");
        }
        assertThat(LaunchRecord.read(fx.paths.record("none"))).isEmpty();
    }

    @Test
    void aDamagedRecordIsAnErrorNamingTheFile() throws Exception {
        Path file = fx.paths.record("bad");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, "{\"name\":\"bad\",\"pid\":");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LaunchRecord.read(file))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString());
        java.nio.file.Files.writeString(file, "{\"name\":\"bad\"}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LaunchRecord.read(file))
                .hasMessageContaining("has no pid or start");
    }
}
