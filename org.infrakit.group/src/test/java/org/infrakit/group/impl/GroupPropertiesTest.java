package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding a group spec's properties, as the reference decodes them. */
class GroupPropertiesTest {

    private static GroupProperties parse(String json) throws PluginException {
        return GroupProperties.parse(RawJson.of(json));
    }

    @Test
    void decodesTheSchema() throws PluginException {
        GroupProperties p = parse("{\"Allocation\":{\"Size\":5},\"Instance\":{\"Plugin\":\"instance-file\","
                + "\"Properties\":{\"Note\":\"x\",\"n\":1.50}},\"Flavor\":{\"Plugin\":\"flavor-vanilla/typed\","
                + "\"Properties\":null}}");
        assertThat(p.allocation().size()).isEqualTo(5);
        assertThat(p.allocation().logicalIDs()).isNull();
        assertThat(p.instance().plugin()).isEqualTo("instance-file");
        assertThat(p.instance().properties().json()).isEqualTo("{\"Note\":\"x\",\"n\":1.50}");
        assertThat(p.flavor().ref().name()).isEqualTo("flavor-vanilla");
        assertThat(p.flavor().ref().type()).isEqualTo("typed");
        assertThat(p.flavor().properties()).isNull();
        assertThat(p.isQuorum()).isFalse();
    }

    @Test
    void membersMatchCaseInsensitivelyUnknownOnesAreIgnoredNullKeepsTheZeroValue() throws PluginException {
        GroupProperties p = parse("{\"allocation\":{\"logicalids\":[\"a\",\"b\"],\"size\":null},\"Whatever\":[1],"
                + "\"INSTANCE\":{\"plugin\":\"i\",\"extra\":1},\"Flavor\":null}");
        assertThat(p.allocation().logicalIDs()).containsExactly("a", "b");
        assertThat(p.allocation().size()).isZero();
        assertThat(p.isQuorum()).isTrue();
        assertThat(p.desiredCount()).isEqualTo(2);
        assertThat(p.instance()).isEqualTo(new PluginSection("i", null));
        assertThat(p.flavor()).isEqualTo(PluginSection.EMPTY);
    }

    @Test
    void aLaterDuplicateMemberWinsAndNestedObjectsMerge() throws PluginException {
        GroupProperties p = parse("{\"Instance\":{\"Plugin\":\"a\",\"Properties\":1},\"instance\":{\"Plugin\":\"b\"}}");
        assertThat(p.instance()).isEqualTo(new PluginSection("b", RawJson.of("1")));
    }

    @Test
    void nullPropertiesAreAllZero() throws PluginException {
        GroupProperties p = GroupProperties.parse(null);
        assertThat(p.allocation().size()).isZero();
        assertThat(p.instance()).isEqualTo(PluginSection.EMPTY);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"Instance\":{\"Plugin\":100}}|Invalid properties: bad-format-for-name:100",
        "{\"Flavor\":{\"Plugin\":null}}|Invalid properties: bad-format-for-name:null",
        "{\"Flavor\":{\"Plugin\":{ \"a\" : [1] }}}|Invalid properties: bad-format-for-name:{\"a\":[1]}",
        "{\"Allocation\":{\"Size\":\"5\"},\"Flavor\":{\"Plugin\":true}}|Invalid properties: bad-format-for-name:true",
        "{\"Allocation\":{\"Size\":-1}}|Invalid properties: Allocation.Size must be a non-negative integer below 2^63, not -1",
        "{\"Allocation\":{\"Size\":2.5}}|Invalid properties: Allocation.Size must be a non-negative integer, not 2.5",
        "{\"Allocation\":{\"Size\":\"5\"}}|Invalid properties: Allocation.Size must be a non-negative integer, not a string",
        "{\"Allocation\":{\"LogicalIDs\":\"a\"}}|Invalid properties: Allocation.LogicalIDs must be an array of strings, not a string",
        "{\"Allocation\":{\"LogicalIDs\":[\"a\",1]}}|Invalid properties: Allocation.LogicalIDs[1] must be a string, not a number",
        "{\"Allocation\":[]}|Invalid properties: Allocation must be an object, not an array",
        "{\"Instance\":\"x\",\"Allocation\":[]}|Invalid properties: Instance must be an object, not a string",
        "[1]|Invalid properties: properties must be an object, not an array",
        "5|Invalid properties: properties must be an object, not a number"
    })
    void refusesWhatDoesNotFitTheSchema(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(PluginException.class).hasMessage(message);
    }

    @Test
    void isWrittenBackWithExactlyItsThreeMembers() throws PluginException {
        GroupProperties p = parse("{\"Allocation\":{\"LogicalIDs\":[]},\"Flavor\":{\"Plugin\":\"f\",\"Properties\":{\"b\":1,\"a\":2}}}");
        assertThat(p.toJson().json()).isEqualTo("{\"Instance\":{\"Plugin\":\"\",\"Properties\":null},"
                + "\"Flavor\":{\"Plugin\":\"f\",\"Properties\":{\"b\":1,\"a\":2}},\"Allocation\":{\"Size\":0,\"LogicalIDs\":[]}}");
        assertThat(p.isQuorum()).isFalse();
        assertThat(new GroupProperties(null, null, org.infrakit.spi.Allocation.ofLogicalIDs(List.of("x"))).isQuorum()).isTrue();
    }
}
