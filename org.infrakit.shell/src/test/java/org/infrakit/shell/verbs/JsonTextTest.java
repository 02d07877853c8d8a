package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void indentsLikeGoMarshalIndent() {
        assertThat(JsonText.indent("{\"a\":[1,{\"b\":null}],\"c\":{},\"d\":[],\"e\":\"x\"}")).isEqualTo("""
                {
                  "a": [
                    1,
                    {
                      "b": null
                    }
                  ],
                  "c": {},
                  "d": [],
                  "e": "x"
                }""");
    }

    @Test
    void leavesStringsAndNumbersAlone() {
        assertThat(JsonText.indent("{\"k,:{\":\"a\\\"[b]{c},d:\\\\\",\"n\":1.0e5}"))
                .isEqualTo("{\n  \"k,:{\": \"a\\\"[b]{c},d:\\\\\",\n  \"n\": 1.0e5\n}");
        assertThat(JsonText.indent("\"plain\"")).isEqualTo("\"plain\"");
        assertThat(JsonText.indent("[]")).isEqualTo("[]");
    }
}
