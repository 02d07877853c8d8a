package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write that fails in a directory that also refuses to let its temporary file be removed
 * (append-only: entries can be created, not renamed or removed) leaves that file behind only until
 * the directory allows it again: the next call removes it, without a restart.
 */
class LeftoverTemporariesTest {
    @TempDir
    Path dir;

    @AfterEach
    void writable() throws Exception {
        chattr("-a", dir);
    }

    private static int chattr(String flag, Path p) throws IOException, InterruptedException {
        Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return c.waitFor(10, TimeUnit.SECONDS) ? c.exitValue() : -1;
    }

    private List<String> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(AtomicFiles::isTemporary).toList();
        }
    }

    @Test
    void aTemporaryFileThatCouldNotBeRemovedIsRemovedOnceTheDirectoryAllowsIt() throws Exception {
        FileInstancePlugin plugin = TestFiles.plugin(dir, FileInstancePlugin.CacheMode.STAT);
        try {
            boolean appendOnly = false;
            try {
                appendOnly = chattr("+a", dir) == 0;
            } catch (IOException e) {
                // no chattr here
            }
            Path probe = Files.createFile(dir.resolve("probe"));
            boolean enforced = false;
            try {
                Files.delete(probe);
            } catch (IOException e) {
                enforced = true;
            }
            assumeTrue(appendOnly && enforced, "needs chattr +a enforced on the temporary directory (root, ext4)");
            chattr("-a", dir);
            Files.delete(probe);
            chattr("+a", dir);

            assertThatThrownBy(() -> plugin.provision(InstanceSpec.of(null, Map.of("a", "b"), "", null, null)))
                    .isInstanceOf(PluginException.class);
            assertThat(temporaries()).hasSize(1);
            assertThat(plugin.describeInstances(Map.of(), false)).isEmpty();
            assertThat(temporaries()).as("still refused: kept for later").hasSize(1);

            chattr("-a", dir);
            assertThat(plugin.describeInstances(Map.of(), false)).isEmpty();
            assertThat(temporaries()).as("removed by the first call once the directory allows it").isEmpty();
        } finally {
            plugin.close();
        }
    }
}
