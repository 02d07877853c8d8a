package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginProperties;
import org.infrakit.rpc.json.ProtocolJson;
import org.infrakit.rpc.message.GroupMessages;
import org.infrakit.rpc.message.InstanceMessages;
import org.infrakit.testsupport.GoldenVectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every {@code group.*} golden vector: its params go through the engine with the preconditions the
 * golden README names, and the result (or error) is encoded as the wire's reply and compared byte
 * for byte ({@code DescribeGroup.converged}: structurally, its instance IDs being random).
 */
class GoldenGroupVectorsTest {

    /** The engine with an instance plugin {@code instance-file} and a vanilla-like {@code flavor-vanilla}. */
    private static final class Fixture implements AutoCloseable {
        final Harness h = new Harness();
        final FakeInstancePlugin files = new FakeInstancePlugin("instance-", h.clock::nanoTime);
        final VanillaLikeFlavor vanilla = new VanillaLikeFlavor();

        Fixture() {
            h.plugins.add(InstancePlugin.class, files, Map.of(PluginProperties.NAME, "instance-file"));
            h.plugins.add(FlavorPlugin.class, vanilla, Map.of(PluginProperties.NAME, "flavor-vanilla"));
        }

        @Override
        public void close() {
            h.close();
        }
    }

    private static GroupSpec cattleSpec() throws IOException {
        String params = rawMember(GoldenVectors.read("group.CommitGroup.cattle-new.request.json"), "params");
        return ProtocolJson.mapper().readValue(params, GroupMessages.CommitGroupRequest.class).spec();
    }

    /** Sets up the precondition the golden README gives for a vector. */
    private static void precondition(String stem, Fixture f) throws Exception {
        switch (stem) {
            case "group.CommitGroup.cattle-same", "group.CommitGroup.cattle2-pretend", "group.CommitGroup.cattle2",
                    "group.DescribeGroup.converged", "group.FreeGroup.ok", "group.DestroyGroup.ok" -> {
                f.h.engine.commitGroup(cattleSpec(), false);
                f.h.settle();
                assertThat(f.files.ids()).hasSize(5);
            }
            case "group.InspectGroups.after-commit", "group.DescribeGroup.empty" ->
                f.h.engine.commitGroup(cattleSpec(), false); // no pass has run: no members yet
            default -> {
                // a fresh plugin
            }
        }
    }

    private static String call(String method, String params, Fixture f) throws IOException {
        try {
            Object result = switch (method) {
                case "Group.CommitGroup" -> {
                    var r = ProtocolJson.mapper().readValue(params, GroupMessages.CommitGroupRequest.class);
                    yield new GroupMessages.CommitGroupResponse(f.h.engine.commitGroup(r.spec(), r.pretend()));
                }
                case "Group.FreeGroup" -> {
                    f.h.engine.freeGroup(ProtocolJson.mapper().readValue(params, GroupMessages.GroupIdRequest.class).id());
                    yield GroupMessages.OkResponse.OK;
                }
                case "Group.DestroyGroup" -> {
                    f.h.engine.destroyGroup(ProtocolJson.mapper().readValue(params, GroupMessages.GroupIdRequest.class).id());
                    yield GroupMessages.OkResponse.OK;
                }
                case "Group.DescribeGroup" -> new GroupMessages.DescribeGroupResponse(f.h.engine.describeGroup(
                        ProtocolJson.mapper().readValue(params, GroupMessages.GroupIdRequest.class).id()));
                case "Group.InspectGroups" -> new GroupMessages.InspectGroupsResponse(f.h.engine.inspectGroups());
                default -> throw new AssertionError("unexpected method " + method);
            };
            return "{\"jsonrpc\":\"2.0\",\"result\":" + ProtocolJson.write(result) + ",\"id\":1}\n";
        } catch (PluginException e) {
            return "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32000,\"message\":" + ProtocolJson.write(e.getMessage())
                    + ",\"data\":null},\"id\":1}\n";
        }
    }

    private static List<Path> vectors() throws IOException {
        try (Stream<Path> s = Files.list(GoldenVectors.dir())) {
            return s.filter(p -> p.getFileName().toString().startsWith("group.")
                    && p.getFileName().toString().endsWith(".request.json")).sorted().toList();
        }
    }

    @Test
    void everyGroupMethodHasVectors() throws IOException {
        assertThat(vectors()).hasSizeGreaterThanOrEqualTo(21);
    }

    @TestFactory
    Stream<DynamicTest> everyGroupVectorIsReproduced() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path request : vectors()) {
            String stem = request.getFileName().toString().replace(".request.json", "");
            tests.add(DynamicTest.dynamicTest(stem, () -> {
                String envelope = Files.readString(request);
                String method = ProtocolJson.mapper().readTree(envelope).get("method").asText();
                String params = rawMember(envelope, "params");
                String expected = GoldenVectors.read(stem + ".response.json");
                try (Fixture f = new Fixture()) {
                    precondition(stem, f);
                    String actual = call(method, params, f);
                    if (stem.equals("group.DescribeGroup.converged")) {
                        assertThat(withIds(actual, f.files.ids(), ProtocolJson.mapper().readTree(expected)))
                                .isEqualTo(ProtocolJson.mapper().readTree(expected));
                    } else {
                        assertThat(actual).isEqualTo(expected);
                    }
                    after(stem, f);
                }
            }));
        }
        return tests.stream();
    }

    /** What must hold after some of the vectors. */
    private static void after(String stem, Fixture f) throws Exception {
        switch (stem) {
            case "group.CommitGroup.cattle-new-pretend" -> {
                assertThat(f.h.engine.inspectGroups()).isEmpty();
                f.h.settle();
                assertThat(f.files.ids()).isEmpty();
            }
            case "group.CommitGroup.cattle-new" -> {
                f.h.settle();
                assertThat(f.files.ids()).hasSize(5);
            }
            case "group.CommitGroup.cattle2" -> {
                f.h.settle();
                assertThat(f.files.ids()).hasSize(10);
                assertThat(f.files.instances()).allMatch(
                        i -> "jpfedp4sefvncwye5b6yre5qoz2odtnd".equals(i.tags().get(GroupTags.CONFIG_SHA)));
            }
            case "group.FreeGroup.ok" -> assertThat(f.files.ids()).hasSize(5);
            case "group.DestroyGroup.ok" -> assertThat(f.files.ids()).isEmpty();
            default -> {
            }
        }
    }

    /** The reply with the instance IDs replaced by the vector's, in order. */
    private static JsonNode withIds(String reply, List<String> ours, JsonNode expected) throws IOException {
        JsonNode tree = ProtocolJson.mapper().readTree(reply);
        JsonNode mine = tree.path("result").path("Description").path("Instances");
        JsonNode theirs = expected.path("result").path("Description").path("Instances");
        assertThat(mine.size()).isEqualTo(theirs.size()).isEqualTo(ours.size());
        for (int i = 0; i < mine.size(); i++) {
            ((ObjectNode) mine.get(i)).put("ID", theirs.get(i).get("ID").asText());
        }
        return tree;
    }

    @Test
    void whatTheGroupSendsForCattleIsWhatTheReferenceSends() throws Exception {
        try (Fixture f = new Fixture()) {
            f.h.engine.commitGroup(cattleSpec(), false);
            f.h.settle();
            String prepare = rawMember(GoldenVectors.read("flavor.Prepare.cattle.request.json"), "params");
            // departures D3: Index.Sequence is the order of creation, where the reference sent the size (5)
            assertThat(f.vanilla.prepared).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(ProtocolJson.write(f.vanilla.prepared.get(i)))
                        .isEqualTo(prepare.replace("\"Sequence\":5", "\"Sequence\":" + i));
            }
            String provision = rawMember(GoldenVectors.read("instance.Provision.cattle.request.json"), "params");
            for (var spec : f.files.provisioned()) {
                assertThat(ProtocolJson.write(new InstanceMessages.ProvisionRequest("", spec))).isEqualTo(provision);
            }
        }
    }

    /** The exact text of a top-level member of a JSON object, as written in the file. */
    static String rawMember(String json, String member) throws IOException {
        try (var parser = ProtocolJson.factory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals(member)) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentLocation().getCharOffset();
                    return json.substring(start, end);
                }
                parser.skipChildren();
            }
        }
        throw new IllegalArgumentException("no member " + member);
    }
}
