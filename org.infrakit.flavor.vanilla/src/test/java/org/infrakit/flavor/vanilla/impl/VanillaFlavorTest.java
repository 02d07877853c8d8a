package org.infrakit.flavor.vanilla.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.Attachment;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.rpc.json.ProtocolJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VanillaFlavorTest {
    private static final Allocation FIVE = Allocation.ofSize(5);
    private static final Index INDEX = new Index("g", 0);
    private static final String EXAMPLE = "{\"Init\":[\"sudo apt-get update -y\",\"sudo apt-get install -y nginx\","
            + "\"sudo service nginx start\"],\"Tags\":{\"tier\":\"web\",\"project\":\"infrakit\"}}";

    private final VanillaFlavor flavor = new VanillaFlavor();

    private static InstanceSpec spec(Map<String, String> tags, String init, List<Attachment> attachments) {
        return InstanceSpec.of(RawJson.of("{\"a\":1.0}"), tags, init, "lid", attachments);
    }

    @Test
    void prepareMergesAsTheSpecsExampleShows() throws PluginException {
        InstanceSpec out = flavor.prepare(RawJson.of(EXAMPLE), spec(Map.of("a", "b"), "#!/bin/sh", null), FIVE, INDEX);

        assertThat(out.init()).isEqualTo("#!/bin/sh\nsudo apt-get update -y\nsudo apt-get install -y nginx\n"
                + "sudo service nginx start");
        assertThat(ProtocolJson.write(out.tags())).isEqualTo("{\"a\":\"b\",\"project\":\"infrakit\",\"tier\":\"web\"}");
        assertThat(out.properties().json()).isEqualTo("{\"a\":1.0}");
        assertThat(out.logicalID()).isEqualTo("lid");
        assertThat(out.attachments()).isNull();
    }

    @Test
    void nullPropertiesLeaveTheSpecAsItWas() throws PluginException {
        InstanceSpec in = spec(null, "", null);
        InstanceSpec out = flavor.prepare(null, in, FIVE, INDEX);
        assertThat(ProtocolJson.write(out)).isEqualTo(ProtocolJson.write(in));
        assertThat(out.tags()).isNull();
        assertThat(out.init()).isEmpty();
    }

    @Test
    void emptyFlavorTagsAndAttachmentsKeepNullsNull() throws PluginException {
        InstanceSpec out = flavor.prepare(RawJson.of("{\"Tags\":{},\"Attachments\":[],\"Init\":[]}"),
                spec(null, "", null), FIVE, INDEX);
        assertThat(out.tags()).isNull();
        assertThat(out.attachments()).isNull();
        assertThat(out.init()).isEmpty();
    }

    @Test
    void flavorTagsOverwriteEvenInfrakitTagsAndCreateTheMap() throws PluginException {
        InstanceSpec out = flavor.prepare(RawJson.of("{\"tags\":{\"infrakit.group\":\"mine\",\"z\":\"1\"}}"),
                spec(Map.of("infrakit.group", "cattle", "k", "v"), "", null), FIVE, INDEX);
        assertThat(out.tags()).containsExactly(Map.entry("infrakit.group", "mine"), Map.entry("k", "v"),
                Map.entry("z", "1"));

        InstanceSpec fromNull = flavor.prepare(RawJson.of("{\"Tags\":{\"t\":\"1\"}}"), spec(null, "", null), FIVE, INDEX);
        assertThat(fromNull.tags()).containsExactly(Map.entry("t", "1"));
    }

    @Test
    void attachmentsAreAppendedAfterExistingOnes() throws PluginException {
        InstanceSpec out = flavor.prepare(RawJson.of("{\"Attachments\":[{\"ID\":\"b\",\"Type\":\"disk\"},{\"id\":\"c\"}]}"),
                spec(null, "", List.of(new Attachment("a", "net"))), FIVE, INDEX);
        assertThat(out.attachments()).containsExactly(new Attachment("a", "net"), new Attachment("b", "disk"),
                new Attachment("c", ""));

        InstanceSpec fromNull = flavor.prepare(RawJson.of("{\"Attachments\":[{\"ID\":\"x\",\"Type\":\"y\"}]}"),
                spec(null, "", null), FIVE, INDEX);
        assertThat(ProtocolJson.write(fromNull.attachments())).isEqualTo("[{\"ID\":\"x\",\"Type\":\"y\"}]");
    }

    @Test
    void initLinesAreJoinedWithoutATrailingNewlineAndEmptyLinesAreKept() throws PluginException {
        assertThat(flavor.prepare(RawJson.of("{\"Init\":[\"a\",\"\",\"b\"]}"), spec(null, "", null), FIVE, INDEX).init())
                .isEqualTo("a\n\nb");
        assertThat(flavor.prepare(RawJson.of("{\"Init\":[\"a\"]}"), spec(null, "x\n", null), FIVE, INDEX).init())
                .isEqualTo("x\n\na");
        assertThat(flavor.prepare(RawJson.of("{\"Init\":null}"), spec(null, "x", null), FIVE, INDEX).init())
                .isEqualTo("x");
        // a JSON null line is Go's zero value, an empty string
        assertThat(flavor.prepare(RawJson.of("{\"Init\":[null,\"b\"]}"), spec(null, "", null), FIVE, INDEX).init())
                .isEqualTo("\nb");
    }

    @Test
    void unknownMembersAreIgnored() throws PluginException {
        flavor.validate(RawJson.of("{\"Init\":[],\"Other\":{\"x\":[1,2]}}"), FIVE);
        flavor.validate(RawJson.of("{}"), Allocation.ofLogicalIDs(List.of("a", "b")));
        flavor.validate(null, FIVE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"Init\":\"x\"}                       | Init must be an array",
        "{\"Tags\":[]}                          | Tags must be an object",
        "{\"Init\":[1]}                         | Init[0] must be a string",
        "{\"Tags\":{\"a\":1}}                   | Tags.a must be a string",
        "{\"Attachments\":{}}                   | Attachments must be an array",
        "{\"Attachments\":[{\"ID\":true}]}      | Attachments[0].ID must be a string",
        "[1,2]                                  | they must be a JSON object, not an array",
        "\"text\"                               | they must be a JSON object, not a string",
        "42                                     | they must be a JSON object, not a number",
    })
    void typeMismatchesAreClearErrors(String properties, String expected) {
        RawJson raw = RawJson.of(properties);
        assertThatThrownBy(() -> flavor.validate(raw, FIVE))
                .isInstanceOf(PluginException.class)
                .hasMessage("invalid vanilla flavor properties: " + expected);
        assertThatThrownBy(() -> flavor.prepare(raw, spec(null, "", null), FIVE, INDEX))
                .isInstanceOf(PluginException.class)
                .hasMessage("invalid vanilla flavor properties: " + expected);
    }

    @Test
    void alwaysHealthyAndNothingToDrain() {
        InstanceDescription d = InstanceDescription.of("i-1", null, null, null);
        assertThat(flavor.healthy(RawJson.of("[1]"), d)).isEqualTo(Health.HEALTHY);
        assertThat(flavor.healthy(null, d)).isEqualTo(Health.HEALTHY);
        flavor.drain(RawJson.of("\"anything\""), d);
        flavor.drain(null, d);
    }
}
