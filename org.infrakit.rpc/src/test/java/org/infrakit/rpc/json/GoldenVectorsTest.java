package org.infrakit.rpc.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.GroupMessages;
import org.infrakit.rpc.message.HandshakeMessages;
import org.infrakit.rpc.message.InstanceMessages;
import org.infrakit.testsupport.GoldenVectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Replays the params and results of every golden vector through the SPI records: decoding then
 * encoding gives the vector's bytes.
 */
class GoldenVectorsTest {

    private record Shapes(Class<?> params, Class<?> result) {
    }

    private static final Map<String, Shapes> METHODS = Map.ofEntries(
            Map.entry("Group.CommitGroup", new Shapes(GroupMessages.CommitGroupRequest.class, GroupMessages.CommitGroupResponse.class)),
            Map.entry("Group.FreeGroup", new Shapes(GroupMessages.GroupIdRequest.class, GroupMessages.OkResponse.class)),
            Map.entry("Group.DescribeGroup", new Shapes(GroupMessages.GroupIdRequest.class, GroupMessages.DescribeGroupResponse.class)),
            Map.entry("Group.DestroyGroup", new Shapes(GroupMessages.GroupIdRequest.class, GroupMessages.OkResponse.class)),
            Map.entry("Group.InspectGroups", new Shapes(GroupMessages.InspectGroupsRequest.class, GroupMessages.InspectGroupsResponse.class)),
            Map.entry("Instance.Validate", new Shapes(InstanceMessages.ValidateRequest.class, InstanceMessages.OkResponse.class)),
            Map.entry("Instance.Provision", new Shapes(InstanceMessages.ProvisionRequest.class, InstanceMessages.ProvisionResponse.class)),
            Map.entry("Instance.Label", new Shapes(InstanceMessages.LabelRequest.class, InstanceMessages.OkResponse.class)),
            Map.entry("Instance.Destroy", new Shapes(InstanceMessages.DestroyRequest.class, InstanceMessages.OkResponse.class)),
            Map.entry("Instance.DescribeInstances", new Shapes(InstanceMessages.DescribeInstancesRequest.class, InstanceMessages.DescribeInstancesResponse.class)),
            Map.entry("Flavor.Validate", new Shapes(FlavorMessages.ValidateRequest.class, InstanceMessages.OkResponse.class)),
            Map.entry("Flavor.Prepare", new Shapes(FlavorMessages.PrepareRequest.class, FlavorMessages.PrepareResponse.class)),
            Map.entry("Flavor.Healthy", new Shapes(FlavorMessages.InstanceRequest.class, FlavorMessages.HealthyResponse.class)),
            Map.entry("Flavor.Drain", new Shapes(FlavorMessages.InstanceRequest.class, InstanceMessages.OkResponse.class)),
            Map.entry("Handshake.Implements", new Shapes(GroupMessages.InspectGroupsRequest.class, HandshakeMessages.ImplementsResponse.class)),
            Map.entry("Handshake.Types", new Shapes(GroupMessages.InspectGroupsRequest.class, HandshakeMessages.TypesResponse.class)),
            Map.entry("Plugin.Implements", new Shapes(GroupMessages.InspectGroupsRequest.class, HandshakeMessages.PluginImplementsResponse.class)));

    /** The plugin-method vectors; envelope and HTTP vectors exercise the transport, not the records. */
    private static List<Path> requests() throws IOException {
        try (Stream<Path> files = Files.list(goldenDir())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".request.json"))
                    .filter(p -> !p.getFileName().toString().startsWith("envelope.")
                            && !p.getFileName().toString().startsWith("http."))
                    .sorted()
                    .toList();
        }
    }

    static Path goldenDir() {
        return GoldenVectors.dir();
    }

    @Test
    void everyPluginMethodHasVectors() throws IOException {
        List<String> methods = new ArrayList<>();
        for (Path p : requests()) {
            methods.add(ProtocolJson.mapper().readTree(Files.readString(p)).get("method").asText());
        }
        assertThat(methods).containsAll(METHODS.keySet());
        assertThat(methods).hasSizeGreaterThanOrEqualTo(40);
        assertThat(METHODS.keySet()).containsAll(methods);
    }

    @TestFactory
    Stream<DynamicTest> paramsRoundTrip() throws IOException {
        return requests().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            JsonNode envelope = ProtocolJson.mapper().readTree(Files.readString(p));
            Shapes shapes = METHODS.get(envelope.get("method").asText());
            String params = ProtocolJson.compact(envelope.get("params").toString());
            // The raw params text (not the tree's re-rendering) is what must survive.
            String rawParams = rawMember(Files.readString(p), "params");
            Object decoded = ProtocolJson.mapper().readValue(rawParams, shapes.params());
            if (rawParams.equals("{}") && !ProtocolJson.write(decoded).equals("{}")) {
                // A vector that sends no members (the seed's blank-ID example) decodes to the zero value.
                // Its full form (every member, zero values) decodes to the same record.
                assertThat(ProtocolJson.mapper().readValue(ProtocolJson.write(decoded), shapes.params())).isEqualTo(decoded);
                return;
            }
            assertThat(ProtocolJson.write(decoded)).isEqualTo(ProtocolJson.compact(rawParams));
            assertThat(params).isNotEmpty();
        }));
    }

    @TestFactory
    Stream<DynamicTest> resultsRoundTripToTheVectorsBytes() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path request : requests()) {
            String stem = request.getFileName().toString().replace(".request.json", "");
            Path response = request.resolveSibling(stem + ".response.json");
            String expected = Files.readString(response, StandardCharsets.UTF_8);
            if (!expected.contains("\"result\":")) {
                continue; // error replies carry no result
            }
            String method = ProtocolJson.mapper().readTree(Files.readString(request)).get("method").asText();
            tests.add(DynamicTest.dynamicTest(stem, () -> {
                String rawResult = rawMember(expected, "result");
                Object decoded = ProtocolJson.mapper().readValue(rawResult, METHODS.get(method).result());
                String line = "{\"jsonrpc\":\"2.0\",\"result\":" + ProtocolJson.write(decoded) + ",\"id\":1}\n";
                assertThat(line).isEqualTo(expected);
            }));
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(25);
        return tests.stream();
    }

    /** The exact text of a top-level member of a JSON object, as written in the file. */
    private static String rawMember(String json, String member) throws IOException {
        try (var parser = ProtocolJson.factory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
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
