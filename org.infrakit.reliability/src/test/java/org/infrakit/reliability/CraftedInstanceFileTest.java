package org.infrakit.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.infrakit.group.impl.EngineOptions;
import org.infrakit.group.impl.GroupTags;
import org.infrakit.rpc.impl.server.ServerSettings;
import org.infrakit.spi.GroupSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Case 5 of the safety review: a copy of a member file of group A under a new name, with its
 * {@code "ID"} set to a member of group B. The file plugin used to describe the copy under B's
 * member's ID, tagged as A's: A then counted one member too many, destroyed "that" instance, which
 * deleted B's real file, and looped on the failing Destroy of the copy's ID for ever. The file
 * name is the identity now: the copy is no instance, A keeps converged on its own two members and
 * B keeps its member. The group plugin is driven over its socket.
 */
class CraftedInstanceFileTest {
    static final EngineOptions FAST = new EngineOptions(Duration.ofMillis(100), Duration.ofMillis(100), 4, null);

    private Path root;
    private PluginHost host;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
        TempDirs.delete(root);
    }

    @Test
    void aCopyOfOneGroupsMemberCarryingAnotherGroupsIdDestroysNothing() throws Exception {
        root = TempDirs.create();
        host = new PluginHost(root, ServerSettings.DEFAULTS, FAST, false, p -> p);
        GroupSpec a = Specs.cattle("a", 2, PluginHost.INSTANCE, "v1");
        GroupSpec b = Specs.cattle("b", 2, PluginHost.INSTANCE, "v1");
        commit(a);
        commit(b);
        Set<String> membersOfA = awaitMembers("a", 2);
        Set<String> membersOfB = awaitMembers("b", 2);

        String victim = membersOfB.iterator().next();
        Path original = host.instanceDir.resolve(membersOfA.iterator().next());
        Path crafted = host.instanceDir.resolve("instance-crafted");
        Files.writeString(crafted, Files.readString(original).replace(original.getFileName().toString(), victim));
        assertThat(Files.readString(crafted)).contains("\"ID\": \"" + victim + "\"", "\"infrakit.group\": \"a\"");

        // many passes of both groups (every 100 ms)
        Poll.sleep(Scale.times(Duration.ofMillis(2_000)).toMillis());

        assertThat(host.instanceDir.resolve(victim)).as("B's member file").exists();
        assertThat(crafted).as("the crafted file is left alone").exists();
        assertThat(tagged("b")).as("B keeps its members").isEqualTo(membersOfB);
        assertThat(tagged("a")).as("A keeps its members").isEqualTo(membersOfA);
        assertThat(describe("a")).as("A's members, as the group plugin describes them").isEqualTo(membersOfA);
        assertThat(describe("b")).isEqualTo(membersOfB);
        assertThat(converged("a")).as("A converged").isTrue();
        assertThat(converged("b")).as("B converged").isTrue();
    }

    private void commit(GroupSpec spec) throws Exception {
        String params = "{\"Spec\":" + Replies.STRICT.writeValueAsString(spec) + ",\"Pretend\":false}";
        JsonNode reply = call("Group.CommitGroup", params);
        assertThat(reply.has("result")).as("%s", reply).isTrue();
    }

    private JsonNode describeGroup(String id) throws Exception {
        return call("Group.DescribeGroup", "{\"ID\":\"" + id + "\"}");
    }

    private Set<String> describe(String id) throws Exception {
        JsonNode reply = describeGroup(id);
        Set<String> ids = new TreeSet<>();
        reply.at("/result/Description/Instances").forEach(i -> ids.add(i.path("ID").asText()));
        return ids;
    }

    private boolean converged(String id) throws Exception {
        return describeGroup(id).at("/result/Description/Converged").asBoolean();
    }

    private JsonNode call(String method, String params) throws Exception {
        Http.Reply reply = Http.send(host.socket(PluginHost.GROUP), Http.post("{\"jsonrpc\":\"2.0\",\"method\":\""
                + method + "\",\"params\":" + params + ",\"id\":1}"));
        return Replies.STRICT.readTree(reply.body());
    }

    /** @return the instance files on disk tagged with the group, read without the plugin */
    private Set<String> tagged(String group) {
        return InstanceFiles.read(host.instanceDir).instances().values().stream()
                .filter(m -> group.equals(m.tag(GroupTags.GROUP))).map(InstanceFiles.Member::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> awaitMembers(String group, int size) throws Exception {
        Poll.until(Duration.ofSeconds(20), () -> {
            try {
                Set<String> described = describe(group);
                return tagged(group).size() == size && described.equals(tagged(group)) && converged(group) ? null
                        : group + ": " + tagged(group) + " on disk, " + described + " described";
            } catch (Exception e) {
                return e.toString();
            }
        }, "group " + group + " to have " + size + " members");
        return tagged(group);
    }
}
