package org.infrakit.flavor.vanilla.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

import org.infrakit.rpc.json.ProtocolJson;
import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.InstanceMessages;
import org.infrakit.testsupport.GoldenVectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the params of every {@code flavor.*} golden vector through the plugin object and compares
 * the encoded result with the vector's bytes.
 *
 * <p>Vectors with a non-empty {@code Type} expect {@code no-plugin:<Type>}: that answer comes from
 * the RPC layer, which picks the service by sub-type before the plugin is called. For those the
 * test checks that the vector really expects exactly that error, and that the plugin itself
 * accepts the vector's properties.
 */
class VanillaFlavorGoldenTest {
    private final VanillaFlavor flavor = new VanillaFlavor();

    @TestFactory
    Stream<DynamicTest> everyFlavorVector() throws IOException {
        List<GoldenVectors.Vector> vectors = GoldenVectors.vectors("flavor.");
        assertThat(vectors).extracting(GoldenVectors.Vector::method)
                .contains("Flavor.Validate", "Flavor.Prepare", "Flavor.Healthy", "Flavor.Drain");
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.stem(), () -> replay(v)));
    }

    private void replay(GoldenVectors.Vector v) throws Exception {
        String type = v.type();
        if (!type.isEmpty()) {
            assertThat(v.response()).isEqualTo(GoldenVectors.Vector.errorLine("no-plugin:" + type));
            // what the plugin object would do with the same params
            assertThat(v.method()).isEqualTo("Flavor.Validate");
            var req = ProtocolJson.mapper().readValue(v.params(), FlavorMessages.ValidateRequest.class);
            flavor.validate(req.properties(), req.allocation());
            return;
        }
        Object result = switch (v.method()) {
            case "Flavor.Validate" -> {
                var req = ProtocolJson.mapper().readValue(v.params(), FlavorMessages.ValidateRequest.class);
                flavor.validate(req.properties(), req.allocation());
                yield new InstanceMessages.OkResponse(req.type(), true);
            }
            case "Flavor.Prepare" -> {
                var req = ProtocolJson.mapper().readValue(v.params(), FlavorMessages.PrepareRequest.class);
                yield new FlavorMessages.PrepareResponse(req.type(),
                        flavor.prepare(req.properties(), req.spec(), req.allocation(), req.index()));
            }
            case "Flavor.Healthy" -> {
                var req = ProtocolJson.mapper().readValue(v.params(), FlavorMessages.InstanceRequest.class);
                yield new FlavorMessages.HealthyResponse(req.type(), flavor.healthy(req.properties(), req.instance()));
            }
            case "Flavor.Drain" -> {
                var req = ProtocolJson.mapper().readValue(v.params(), FlavorMessages.InstanceRequest.class);
                flavor.drain(req.properties(), req.instance());
                yield new InstanceMessages.OkResponse(req.type(), true);
            }
            default -> throw new AssertionError("no replay for " + v.method());
        };
        assertThat(GoldenVectors.Vector.resultLine(ProtocolJson.write(result))).isEqualTo(v.response());
    }
}
