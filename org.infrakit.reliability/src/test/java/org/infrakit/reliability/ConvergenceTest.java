package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.infrakit.group.impl.GroupTags;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstanceDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The convergence check itself: it must see every way a directory can be wrong. */
class ConvergenceTest {
    private Path dir;
    private boolean converged = true;
    private final GroupPlugin group = new GroupPlugin() {
        @Override
        public String commitGroup(GroupSpec spec, boolean pretend) {
            return "";
        }

        @Override
        public void freeGroup(String id) {
        }

        @Override
        public GroupDescription describeGroup(String id) {
            List<InstanceDescription> members = InstanceFiles.read(dir).instances().values().stream()
                    .map(m -> InstanceDescription.of(m.id(), null, m.tags(), null)).toList();
            return new GroupDescription(members, converged);
        }

        @Override
        public void destroyGroup(String id) {
        }

        @Override
        public List<GroupSpec> inspectGroups() {
            return List.of();
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        dir = TempDirs.create();
        write("instance-1", "g", "h1");
        write("instance-2", "g", "h1");
    }

    @AfterEach
    void tearDown() {
        TempDirs.delete(dir);
    }

    private void write(String id, String groupId, String hash) throws Exception {
        Files.writeString(dir.resolve(id), Replies.STRICT.writeValueAsString(Map.of("ID", id, "Tags",
                Map.of(GroupTags.GROUP, groupId, GroupTags.CONFIG_SHA, hash))));
    }

    @Test
    void acceptsExactlyTheTargetOnTheCurrentHash() {
        assertThat(new Convergence(dir, group, "g").problem(2, "h1")).isNull();
        assertThat(new Convergence(dir, group, "g").await(2, "h1", Duration.ofSeconds(1), Duration.ofMillis(10)))
                .containsExactly("instance-1", "instance-2");
    }

    @Test
    void seesEveryWayOfBeingWrong() throws Exception {
        Convergence c = new Convergence(dir, group, "g");
        assertThat(c.problem(3, "h1")).contains("2 instances for a target of 3");
        assertThat(c.problem(1, "h1")).contains("2 instances for a target of 1");
        assertThat(c.problem(2, "h2")).contains("not on h2");
        converged = false;
        assertThat(c.problem(2, "h1")).contains("converged=false");
        converged = true;

        write("instance-3", "other", "h1");
        assertThat(c.problem(2, "h1")).contains("instance-3");
        Files.delete(dir.resolve("instance-3"));

        Files.writeString(dir.resolve(".instance-4.1234.infrakit-tmp"), "{");
        assertThat(c.problem(2, "h1")).contains("temporary files");
        Files.delete(dir.resolve(".instance-4.1234.infrakit-tmp"));

        Files.writeString(dir.resolve("stray"), "x");
        assertThat(c.problem(2, "h1")).contains("stray");
        assertThatThrownBy(() -> c.await(2, "h1", Duration.ofMillis(100), Duration.ZERO))
                .isInstanceOf(AssertionError.class).hasMessageContaining("stray");
    }
}
