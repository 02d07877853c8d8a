package org.infrakit.group.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;
import org.infrakit.testsupport.GoldenVectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The configuration hash reproduces golden/hash/ byte for byte. */
class ConfigHashTest {
    private static final String CATTLE_FLAVOR = "{\"Init\":[\"docker pull nginx:alpine\",\"docker run -d -p 80:80 nginx-alpine\"],"
            + "\"Tags\":{\"tier\":\"web\",\"project\":\"infrakit\"},\"Attachments\":[{\"ID\":\"attachid\",\"Type\":\"attachtype\"}]}";
    private static final String WORKERS_FLAVOR = "{\"Init\":[\"echo hello\"],\"Tags\":{\"tier\":\"web\"}}";

    static Stream<Arguments> goldenConfigs() {
        return Stream.of(
                Arguments.of("cattle", "{\"Note\":\"Instance properties version 1.0\"}", CATTLE_FLAVOR),
                Arguments.of("cattle2", "{\"Note\":\"Instance properties version 2.0\"}", CATTLE_FLAVOR),
                Arguments.of("workers-v1", "{\"note\":\"v1\"}", WORKERS_FLAVOR),
                Arguments.of("workers-v2", "{\"note\":\"v2\"}", WORKERS_FLAVOR));
    }

    @ParameterizedTest
    @MethodSource("goldenConfigs")
    void reproducesTheGoldenCanonicalTextsAndHashes(String stem, String instanceProps, String flavorProps)
            throws PluginException {
        PluginSection instance = new PluginSection("instance-file", RawJson.of(instanceProps));
        PluginSection flavor = new PluginSection("flavor-vanilla", RawJson.of(flavorProps));

        assertThat(ConfigHash.canonical(instance.plugin(), instance.properties()))
                .isEqualTo(GoldenVectors.read("hash/" + stem + ".instance.canonical.txt"));
        assertThat(ConfigHash.canonical(flavor.plugin(), flavor.properties()))
                .isEqualTo(GoldenVectors.read("hash/" + stem + ".flavor.canonical.txt"));
        assertThat(ConfigHash.of(instance, flavor)).isEqualTo(GoldenVectors.read("hash/" + stem + ".expected-hash.txt").trim());
        // the hash of the golden bytes themselves
        byte[] bytes = (GoldenVectors.read("hash/" + stem + ".instance.canonical.txt")
                + GoldenVectors.read("hash/" + stem + ".flavor.canonical.txt")).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ConfigHash.hash(bytes)).isEqualTo(GoldenVectors.read("hash/" + stem + ".expected-hash.txt").trim());
    }

    @Test
    void theHashIsThirtyTwoBase32Characters() throws PluginException {
        String h = ConfigHash.of(new PluginSection("x", null), new PluginSection("y", RawJson.of("[1,2]")));
        assertThat(h).hasSize(32).matches("[a-z2-7]{32}");
    }

    @Test
    void memberOrderWhitespaceAndNumberSpellingDoNotChangeTheHash() throws PluginException {
        String a = ConfigHash.of(new PluginSection("i", RawJson.of("{\"a\":1,\"b\":[1.0,2e0]}")),
                new PluginSection("f", RawJson.of("{\"x\":null}")));
        String b = ConfigHash.of(new PluginSection("i", RawJson.of("{ \"b\" : [1, 2], \"a\" : 1.00 }")),
                new PluginSection("f", RawJson.of("{\"x\": null}")));
        assertThat(a).isEqualTo(b);
        String renamed = ConfigHash.of(new PluginSection("i2", RawJson.of("{\"a\":1,\"b\":[1.0,2e0]}")),
                new PluginSection("f", RawJson.of("{\"x\":null}")));
        assertThat(renamed).isNotEqualTo(a);
    }

    @Test
    void canonicalFormOfTheCornerCases() throws PluginException {
        assertThat(ConfigHash.canonical("p", null)).isEqualTo("{\n    \"Plugin\": \"p\",\n    \"Properties\": null\n  }");
        assertThat(ConfigHash.canonical("p", RawJson.of("{\"b\":{},\"a\":[],\"c\":\"<&>\\u0001\",\"a\":true}")))
                .isEqualTo("{\n    \"Plugin\": \"p\",\n    \"Properties\": {\n      \"a\": true,\n      \"b\": {},\n"
                        + "      \"c\": \"\\u003c\\u0026\\u003e\\u0001\"\n    }\n  }");
        assertThat(ConfigHash.canonical("p", RawJson.of("[[1],{\"k\":[]}]"))).isEqualTo(
                "{\n    \"Plugin\": \"p\",\n    \"Properties\": [\n      [\n        1\n      ],\n      {\n"
                        + "        \"k\": []\n      }\n    ]\n  }");
        // keys sort by UTF-8 bytes: upper case before lower case, and "é" after "z"
        assertThat(ConfigHash.canonical("p", RawJson.of("{\"z\":1,\"é\":2,\"Z\":3}")))
                .containsSubsequence("\"Z\"", "\"z\"", "\"é\"");
    }

    @Test
    void numbersOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ConfigHash.canonical("p", RawJson.of("{\"n\":1e400}")))
                .isInstanceOf(PluginException.class).hasMessageContaining("1e400");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0", "-0.0|-0", "5|5", "100|100", "1.0|1", "-1.5|-1.5", "0.1|0.1", "123.456|123.456",
        "1e20|100000000000000000000", "1e21|1e+21", "1.5e21|1.5e+21", "123456789012345678|123456789012345680",
        "9007199254740993|9007199254740992", "0.000001|0.000001", "0.000001234|0.000001234", "1e-7|1e-7",
        "1.5e-7|1.5e-7", "1.2345e-10|1.2345e-10", "5e-324|5e-324", "1.7976931348623157e308|1.7976931348623157e+308",
        "2.82879384806159E17|282879384806159000", "2e-3|0.002", "1e23|1e+23", "-1e-7|-1e-7", "3.14159|3.14159"
    })
    void numbersAreWrittenAsGoWritesFloat64(double value, String expected) {
        assertThat(ConfigHash.formatNumber(value)).isEqualTo(expected);
    }
}
