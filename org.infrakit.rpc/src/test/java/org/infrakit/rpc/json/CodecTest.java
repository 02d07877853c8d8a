package org.infrakit.rpc.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.infrakit.rpc.message.FlavorMessages;
import org.infrakit.rpc.message.GroupMessages;
import org.infrakit.rpc.message.InstanceMessages;
import org.infrakit.spi.Allocation;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void rawJsonKeepsMemberOrderDuplicatesAndNumberSpelling() {
        String text = "{ \"b\" : 1.50, \"a\": [1e5, -0, 9007199254740993, 1.0E-7], \"b\": true }";
        assertThat(RawJson.of(text).json())
                .isEqualTo("{\"b\":1.50,\"a\":[1e5,-0,9007199254740993,1.0E-7],\"b\":true}");
    }

    @Test
    void rawJsonInsideARecordKeepsItsSpelling() throws Exception {
        String params = "{\"Type\":\"\",\"Properties\":{\"z\":1.50,\"a\":{\"n\":100000000000000000000}}}";
        var req = ProtocolJson.decode(params, InstanceMessages.ValidateRequest.class);
        assertThat(req.properties().json()).isEqualTo("{\"z\":1.50,\"a\":{\"n\":100000000000000000000}}");
        assertThat(ProtocolJson.write(req)).isEqualTo(params);
    }

    @Test
    void stringsAreEscapedAsGoEscapesThem() {
        String in = "\"a<b>&c\\b\\f\\u0001\\u001f\\n\\r\\t\\u2028\\u2029é\\\"\\\\\"";
        assertThat(ProtocolJson.compact(in))
                .isEqualTo("\"a\\u003cb\\u003e\\u0026c\\u0008\\u000c\\u0001\\u001f\\n\\r\\t\\u2028\\u2029é\\\"\\\\\"");
        assertThat(ProtocolJson.write(Map.of("<k>", "v"))).isEqualTo("{\"\\u003ck\\u003e\":\"v\"}");
    }

    @Test
    void rawJsonRefusesWhatIsNotOneJsonValue() {
        assertThatThrownBy(() -> RawJson.of("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawJson.of("{} {}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RawJson.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(RawJson.of(" null ")).isNull();
    }

    @Test
    void memberNamesMatchCaseInsensitivelyAndUnknownMembersAreIgnored() throws Exception {
        var req = ProtocolJson.decode("{\"id\":\"x\",\"extra\":[1,2]}", GroupMessages.GroupIdRequest.class);
        assertThat(req.id()).isEqualTo("x");
        var commit = ProtocolJson.decode("{\"spec\":{\"iD\":\"g\",\"properties\":{\"A\":1}},\"PRETEND\":true}",
                GroupMessages.CommitGroupRequest.class);
        assertThat(commit.spec().id()).isEqualTo("g");
        assertThat(commit.spec().properties().json()).isEqualTo("{\"A\":1}");
        assertThat(commit.pretend()).isTrue();
    }

    @Test
    void absentMembersAreTheReferencesZeroValues() throws Exception {
        assertThat(ProtocolJson.write(ProtocolJson.decode("{}", GroupMessages.CommitGroupRequest.class)))
                .isEqualTo("{\"Spec\":{\"ID\":\"\",\"Properties\":null},\"Pretend\":false}");
        assertThat(ProtocolJson.write(ProtocolJson.decode("{}", FlavorMessages.PrepareRequest.class)))
                .isEqualTo("{\"Type\":\"\",\"Properties\":null,\"Spec\":{\"Properties\":null,\"Tags\":null,\"Init\":\"\","
                        + "\"LogicalID\":null,\"Attachments\":null},\"Allocation\":{\"Size\":0,\"LogicalIDs\":null},"
                        + "\"Index\":{\"Group\":\"\",\"Sequence\":0}}");
        assertThat(ProtocolJson.write(ProtocolJson.decode("{}", InstanceMessages.DestroyRequest.class)))
                .isEqualTo("{\"Type\":\"\",\"Instance\":\"\",\"Context\":{\"Reason\":\"\"}}");
    }

    @Test
    void wrongTypesAreRefusedWithTheMemberNamed() {
        assertThatThrownBy(() -> ProtocolJson.decode("{\"ID\":5}", GroupMessages.GroupIdRequest.class))
                .isInstanceOf(PluginException.class).hasMessage("ID must be a string");
        assertThatThrownBy(() -> ProtocolJson.decode("{\"Pretend\":\"yes\"}", GroupMessages.CommitGroupRequest.class))
                .isInstanceOf(PluginException.class).hasMessage("Pretend must be true or false");
        assertThatThrownBy(() -> ProtocolJson.decode("{\"Allocation\":{\"Size\":5.5}}", FlavorMessages.ValidateRequest.class))
                .isInstanceOf(PluginException.class).hasMessage("Allocation.Size must be an integer");
        assertThatThrownBy(() -> ProtocolJson.decode("{\"Allocation\":{\"Size\":\"5\"}}", FlavorMessages.ValidateRequest.class))
                .isInstanceOf(PluginException.class).hasMessage("Allocation.Size must be an integer");
        assertThatThrownBy(() -> ProtocolJson.decode("{\"Allocation\":{\"Size\":-1}}", FlavorMessages.ValidateRequest.class))
                .isInstanceOf(PluginException.class).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> ProtocolJson.decode("{\"Tags\":{\"a\":1}}", InstanceMessages.DescribeInstancesRequest.class))
                .isInstanceOf(PluginException.class).hasMessage("Tags.a must be a string");
    }

    @Test
    void tagsAreWrittenInUtf8ByteOrder() {
        // U+FF21 sorts before U+1F600 in UTF-8 (and by code point) but after it in UTF-16 units.
        var d = InstanceDescription.of("i", null, Map.of("\uD83D\uDE00", "1", "\uFF21", "2", "b", "3", "a", "4"), null);
        assertThat(ProtocolJson.write(d)).isEqualTo("{\"ID\":\"i\",\"LogicalID\":null,\"Tags\":{\"a\":\"4\",\"b\":\"3\","
                + "\"\uFF21\":\"2\",\"\uD83D\uDE00\":\"1\"}}");
    }

    @Test
    void descriptionPropertiesAreLeftOutWhenAbsent() {
        assertThat(ProtocolJson.write(InstanceDescription.of("i", "l", null, null)))
                .isEqualTo("{\"ID\":\"i\",\"LogicalID\":\"l\",\"Tags\":null}");
        assertThat(ProtocolJson.write(InstanceDescription.of("i", null, Map.of(), RawJson.of("{}"))))
                .isEqualTo("{\"ID\":\"i\",\"LogicalID\":null,\"Tags\":{},\"Properties\":{}}");
    }

    @Test
    void inspectGroupsWritesNullForNoGroups() {
        assertThat(ProtocolJson.write(new GroupMessages.InspectGroupsResponse(List.of()))).isEqualTo("{\"Groups\":null}");
    }

    @Test
    void healthIsAnInteger() throws Exception {
        assertThat(ProtocolJson.write(new FlavorMessages.HealthyResponse("", Health.UNHEALTHY)))
                .isEqualTo("{\"Type\":\"\",\"Health\":2}");
        assertThat(ProtocolJson.decode("{\"Health\":1}", FlavorMessages.HealthyResponse.class).health())
                .isEqualTo(Health.HEALTHY);
    }

    @Test
    void rawJsonDecodesIntoPluginTypes() throws Exception {
        record Props(List<String> init) {
        }
        assertThat(RawJson.of("{\"INIT\":[\"a\"]}").decode(Props.class).init()).containsExactly("a");
        assertThatThrownBy(() -> RawJson.of("{\"Init\":\"x\"}").decode(Props.class))
                .isInstanceOf(PluginException.class).hasMessage("init must be an array");
    }
}
