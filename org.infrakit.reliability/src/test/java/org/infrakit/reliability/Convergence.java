package org.infrakit.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import org.infrakit.group.impl.GroupTags;
import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.PluginException;

/**
 * "Nothing lost and nothing duplicated": the instance directory holds exactly the group's target
 * number of instances, every one tagged with the group and the current configuration hash, nothing
 * else (no orphan of another configuration, no temporary file, no stray); the group plugin says
 * it converged; and it stays so.
 */
final class Convergence {
    private final Path dir;
    private final GroupPlugin group;
    private final String groupId;

    /**
     * @param dir the instance directory
     * @param group the group plugin (describes the group)
     * @param groupId the group
     */
    Convergence(Path dir, GroupPlugin group, String groupId) {
        this.dir = dir;
        this.group = group;
        this.groupId = groupId;
    }

    /** @return {@code null} when converged, else what is wrong */
    String problem(int size, String hash) {
        InstanceFiles.Listing l = InstanceFiles.read(dir);
        if (!l.strays().isEmpty()) {
            return "stray files " + l.strays();
        }
        if (!l.temporaries().isEmpty()) {
            return "temporary files left " + l.temporaries();
        }
        Set<String> wrong = new TreeSet<>();
        for (InstanceFiles.Member m : l.instances().values()) {
            if (!groupId.equals(m.tag(GroupTags.GROUP)) || !hash.equals(m.tag(GroupTags.CONFIG_SHA))) {
                wrong.add(m.id() + " " + m.tags());
            }
        }
        if (l.instances().size() != size || !wrong.isEmpty()) {
            return l.instances().size() + " instances for a target of " + size + "; not on " + hash + ": " + wrong;
        }
        GroupDescription d;
        try {
            d = group.describeGroup(groupId);
        } catch (PluginException | RuntimeException e) {
            return "DescribeGroup failed: " + e.getMessage();
        }
        if (!d.converged() || d.instances().size() != size) {
            return "the group plugin reports converged=" + d.converged() + " with " + d.instances().size()
                    + " instances";
        }
        return null;
    }

    /**
     * Waits for convergence, then watches it hold for {@code stable}: the same instance IDs, still
     * converged.
     *
     * @return the instance IDs
     */
    Set<String> await(int size, String hash, Duration timeout, Duration stable) {
        Poll.until(timeout, () -> problem(size, hash), "group '" + groupId + "' to converge on " + size
                + " instances of " + hash);
        Set<String> ids = new TreeSet<>(InstanceFiles.read(dir).instances().keySet());
        Poll.sleep(stable.toMillis());
        String later = problem(size, hash);
        Set<String> now = new TreeSet<>(InstanceFiles.read(dir).instances().keySet());
        if (later != null || !now.equals(ids)) {
            throw new AssertionError("group '" + groupId + "' converged, then changed within " + stable.toMillis()
                    + " ms: " + (later != null ? later : ids + " -> " + now));
        }
        return ids;
    }
}
