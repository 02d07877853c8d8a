package org.infrakit.instance.file.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.infrakit.spi.PluginException;
import org.infrakit.rpc.json.ProtocolJson;
import org.infrakit.rpc.message.InstanceMessages;
import org.infrakit.testsupport.GoldenVectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Replays every {@code instance.*} golden vector through the plugin object: params decoded with
 * the SPI's message records, the result encoded with {@link ProtocolJson} and compared with the
 * vector's bytes. Each vector runs against a fresh directory {@code <tmp>/tutorial} set up as the
 * vector's precondition says.
 *
 * <p>Where a vector's bytes depend on the environment: Provision's ID is random, so the plugin is
 * given a random source pinned to the vector's ID (and the written file must then equal
 * {@code golden/files/} byte for byte); Destroy.missing embeds the {@code --dir} path, so the
 * expected message has {@code tutorial/} replaced by the test directory's path (the JVM's working
 * directory cannot be changed; relative directories are covered in {@code FileInstancePluginTest}).
 * Vectors with a non-empty {@code Type} expect {@code no-plugin:<Type>} from the RPC layer, which
 * picks the service by sub-type before any plugin is called.
 */
class FileInstanceGoldenTest {
    @TempDir
    Path tmp;

    private int run;

    private interface Replay {
        void replay(GoldenVectors.Vector v, Path dir) throws Exception;
    }

    private final Map<String, Replay> replays = Map.of(
            "instance.Validate.ok", this::validateOk,
            "instance.Validate.not-an-object", this::validateNotAnObject,
            "instance.Validate.unknown-type", this::unknownType,
            "instance.Provision.cattle", this::provision,
            "instance.Label.ok", this::label,
            "instance.Destroy.ok", this::destroy,
            "instance.Destroy.missing", this::destroyMissing,
            "instance.DescribeInstances.no-match", this::describe,
            "instance.DescribeInstances.group", this::describe,
            "instance.DescribeInstances.properties", this::describe);

    @TestFactory
    Stream<DynamicTest> everyInstanceVector() throws IOException {
        List<GoldenVectors.Vector> vectors = GoldenVectors.vectors("instance.");
        assertThat(vectors).extracting(GoldenVectors.Vector::stem).containsExactlyInAnyOrderElementsOf(replays.keySet());
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.stem(), () -> {
            Path dir = Files.createDirectories(tmp.resolve("run" + run++).resolve("tutorial"));
            replays.get(v.stem()).replay(v, dir);
        }));
    }

    private static FileInstancePlugin plugin(Path dir) throws PluginException {
        return new FileInstancePlugin("instance-file", dir, Clock.systemUTC(), TestFiles.pinned(TestFiles.GOLDEN_NUMBER),
                FileInstancePlugin.CacheMode.WATCH);
    }

    private static void withGoldenFile(Path dir) throws IOException {
        Files.writeString(dir.resolve(TestFiles.GOLDEN_ID), TestFiles.goldenFile(), StandardCharsets.UTF_8);
    }

    private static void assertResult(GoldenVectors.Vector v, Object result) {
        assertThat(GoldenVectors.Vector.resultLine(ProtocolJson.write(result))).isEqualTo(v.response());
    }

    private void validateOk(GoldenVectors.Vector v, Path dir) throws Exception {
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.ValidateRequest.class);
        try (FileInstancePlugin p = plugin(dir)) {
            p.validate(req.properties());
            assertResult(v, new InstanceMessages.OkResponse(req.type(), true));
        }
    }

    /** Compare mode code+data: the reference's message is Go decoder text; ours says the same plainly. */
    private void validateNotAnObject(GoldenVectors.Vector v, Path dir) throws Exception {
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.ValidateRequest.class);
        try (FileInstancePlugin p = plugin(dir)) {
            assertThatThrownBy(() -> p.validate(req.properties()))
                    .isInstanceOf(PluginException.class)
                    .satisfies(e -> {
                        JsonNode ours = ProtocolJson.mapper().readTree(GoldenVectors.Vector.errorLine(e.getMessage()));
                        JsonNode expected = ProtocolJson.mapper().readTree(v.response());
                        assertThat(ours.at("/error/code")).isEqualTo(expected.at("/error/code"));
                        assertThat(ours.at("/error/data")).isEqualTo(expected.at("/error/data"));
                        assertThat(ours.get("id")).isEqualTo(expected.get("id"));
                        assertThat(e.getMessage()).isEqualTo("invalid file instance properties: they must be a JSON "
                                + "object, not an array");
                    });
        }
    }

    private void unknownType(GoldenVectors.Vector v, Path dir) throws Exception {
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.ValidateRequest.class);
        assertThat(req.type()).isNotEmpty();
        assertThat(v.response()).isEqualTo(GoldenVectors.Vector.errorLine("no-plugin:" + req.type()));
        try (FileInstancePlugin p = plugin(dir)) {
            p.validate(req.properties()); // the plugin object itself accepts the properties
        }
    }

    private void provision(GoldenVectors.Vector v, Path dir) throws Exception {
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.ProvisionRequest.class);
        try (FileInstancePlugin p = plugin(dir)) {
            String id = p.provision(req.spec());
            assertResult(v, new InstanceMessages.ProvisionResponse(req.type(), id));
        }
        assertThat(Files.readString(dir.resolve(TestFiles.GOLDEN_ID), StandardCharsets.UTF_8))
                .isEqualTo(TestFiles.goldenFile());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(TestFiles.GOLDEN_ID)); // no temporary file left
        }
    }

    private void label(GoldenVectors.Vector v, Path dir) throws Exception {
        withGoldenFile(dir);
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.LabelRequest.class);
        try (FileInstancePlugin p = plugin(dir)) {
            p.label(req.instance(), req.labels());
            assertResult(v, new InstanceMessages.OkResponse(req.type(), true));
        }
        // the top-level Tags gain the labels in sorted place; Spec.Tags stay as provisioned
        String before = "\"infrakit.group\": \"cattle\",\n\"project\"";
        String golden = TestFiles.goldenFile();
        String expected = golden.replaceFirst(java.util.regex.Pattern.quote(before),
                "\"infrakit.group\": \"cattle\",\n\"label1\": \"changed1\",\n\"label3\": \"value3\",\n\"project\"");
        assertThat(expected).isNotEqualTo(golden);
        assertThat(Files.readString(dir.resolve(req.instance()), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    private void destroy(GoldenVectors.Vector v, Path dir) throws Exception {
        withGoldenFile(dir);
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.DestroyRequest.class);
        try (FileInstancePlugin p = plugin(dir)) {
            p.destroy(req.instance(), req.context());
            assertResult(v, new InstanceMessages.OkResponse(req.type(), true));
        }
        assertThat(dir.resolve(req.instance())).doesNotExist();
    }

    private void destroyMissing(GoldenVectors.Vector v, Path dir) throws Exception {
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.DestroyRequest.class);
        String expected = v.response().replace("remove tutorial/", "remove " + dir + "/");
        assertThat(expected).isNotEqualTo(v.response());
        try (FileInstancePlugin p = plugin(dir)) {
            assertThatThrownBy(() -> p.destroy(req.instance(), req.context()))
                    .isInstanceOf(PluginException.class)
                    .satisfies(e -> assertThat(GoldenVectors.Vector.errorLine(e.getMessage())).isEqualTo(expected));
        }
    }

    private void describe(GoldenVectors.Vector v, Path dir) throws Exception {
        withGoldenFile(dir);
        var req = ProtocolJson.mapper().readValue(v.params(), InstanceMessages.DescribeInstancesRequest.class);
        try (FileInstancePlugin p = plugin(dir)) {
            assertResult(v, new InstanceMessages.DescribeInstancesResponse(req.type(),
                    p.describeInstances(req.tags(), req.properties())));
            // a second call answers from the cache, with the same bytes
            assertResult(v, new InstanceMessages.DescribeInstancesResponse(req.type(),
                    p.describeInstances(req.tags(), req.properties())));
        }
    }
}
