package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchMainTest {

    @Test
    void defaultsAreResolvedAgainstTheRoot(@TempDir Path root) {
        BenchMain.Options o = BenchMain.Options.parse("--root", root.toString());
        assertThat(o.out()).isEqualTo(root.resolve("docs/benchmarks.md"));
        assertThat(o.jar()).isEqualTo(root.resolve("run/target/infrakit.jar"));
        assertThat(o.only()).containsExactly("process", "scale", "rpc", "describe", "group", "runtime");
        assertThat(o.quick()).isFalse();
        assertThat(o.command()).isEqualTo("bin/infrakit-bench");
    }

    @Test
    void onlySelectsAndTheRunOrderIsFixed(@TempDir Path root) {
        BenchMain.Options o = BenchMain.Options.parse("--root", root.toString(), "--only", "group, rpc", "--out",
                "/tmp/x.md");
        assertThat(o.only()).containsExactly("rpc", "group");
        assertThat(o.out()).isEqualTo(Path.of("/tmp/x.md"));
        assertThat(BenchMain.plotFile(o.out())).isEqualTo(Path.of("/tmp/x-growth.png"));
    }

    @Test
    void profileIsAddedToTheSelection(@TempDir Path root) {
        assertThat(BenchMain.Options.parse("--root", root.toString(), "--profile").only())
                .containsExactly("process", "scale", "rpc", "describe", "group", "runtime", "profile");
        assertThat(BenchMain.Options.parse("--root", root.toString(), "--profile", "--only", "rpc").only())
                .containsExactly("rpc", "profile");
    }

    @Test
    void badArgumentsGetAOneLineError() {
        assertThatThrownBy(() -> BenchMain.Options.parse("--only", "rpc,disk"))
                .hasMessage("unknown benchmark 'disk' in --only; known: process,scale,rpc,describe,group,runtime,profile");
        assertThatThrownBy(() -> BenchMain.Options.parse("--out")).hasMessage("--out needs a value");
        assertThatThrownBy(() -> BenchMain.Options.parse("--jar", "--quick")).hasMessage("--jar needs a value");
        assertThatThrownBy(() -> BenchMain.Options.parse("--fast")).hasMessageStartingWith("unknown argument '--fast'");
    }

    @Test
    void theExampleBundleIsTheModulesOwnJar(@TempDir Path root) throws Exception {
        assertThat(RuntimeBenchmark.exampleBundle(root)).isNull();
        Path target = Files.createDirectories(root.resolve("examples/org.infrakit.example.flavor/target"));
        Files.createFile(target.resolve("org.infrakit.example.flavor-0.1.0-SNAPSHOT-sources.jar"));
        Files.createFile(target.resolve("something-else.jar"));
        assertThat(RuntimeBenchmark.exampleBundle(root)).isNull();
        Path jar = Files.createFile(target.resolve("org.infrakit.example.flavor-0.1.0-SNAPSHOT.jar"));
        assertThat(RuntimeBenchmark.exampleBundle(root)).isEqualTo(jar);
    }
}
