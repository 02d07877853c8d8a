package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.infrakit.spi.GroupSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonInputTest {
    @TempDir
    Path dir;

    JsonInput input(String stdin) {
        return new JsonInput(dir, () -> new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void inlineObjectsAndArraysAreCompacted() throws Exception {
        assertThat(input("").read("{ \"a\" : 1.0 }").json()).isEqualTo("{\"a\":1.0}");
        assertThat(input("").read("\n  [1, 2]").json()).isEqualTo("[1,2]");
    }

    @Test
    void filesRelativeAndAbsolute() throws Exception {
        Path f = Files.writeString(dir.resolve("a.json"), "{\"x\": \"<y>\"}\n");

        assertThat(input("").read("a.json").json()).isEqualTo("{\"x\":\"\\u003cy\\u003e\"}");
        assertThat(input("").read(f.toString()).json()).isEqualTo("{\"x\":\"\\u003cy\\u003e\"}");
    }

    @Test
    void standardInput() throws Exception {
        assertThat(input("{\"ID\":\"s\"}").readObject("-", GroupSpec.class, "a group spec").id()).isEqualTo("s");
    }

    @Test
    void aFileHoldingNullIsNull() throws Exception {
        Files.writeString(dir.resolve("null.json"), "null");

        assertThat(input("").read("null.json")).isNull();
        assertThatThrownBy(() -> input("").readObject("null.json", GroupSpec.class, "a group spec"))
                .isInstanceOf(InputException.class).hasMessage("null.json: a group spec must be a JSON object");
    }

    @Test
    void problemsAreOneLineNamingTheSource() throws Exception {
        Files.writeString(dir.resolve("empty.json"), "  \n");
        Files.writeString(dir.resolve("bad.json"), "{\"a\":");
        Files.writeString(dir.resolve("two.json"), "{} {}");
        Files.write(dir.resolve("latin1.json"), new byte[] {'"', (byte) 0xe9, '"'});
        Files.createDirectory(dir.resolve("sub"));

        assertThatThrownBy(() -> input("").read("missing.json")).hasMessage("missing.json: no such file");
        assertThatThrownBy(() -> input("").read("sub")).hasMessage("sub: is a directory, expected a JSON file");
        assertThatThrownBy(() -> input("").read("empty.json")).hasMessage("empty.json: empty, expected JSON");
        assertThatThrownBy(() -> input("").read("bad.json")).hasMessageStartingWith("bad.json: not JSON: ")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> input("").read("two.json")).hasMessageStartingWith("two.json: not JSON: text after the value");
        assertThatThrownBy(() -> input("").read("latin1.json")).hasMessage("latin1.json: not UTF-8 text");
        assertThatThrownBy(() -> input("").read("{oops")).hasMessageStartingWith("inline JSON: not JSON: ");
        assertThatThrownBy(() -> input("").read("-")).hasMessage("standard input: empty, expected JSON");
        assertThatThrownBy(() -> input("").read("")).hasMessage("expected JSON, a file path or -, got an empty argument");
    }

    @Test
    void inlineJsonWhoseQuotesTheShellAteGetsAHint() {
        assertThatThrownBy(() -> input("").read("{ID:a}")).hasMessageStartingWith("inline JSON: not JSON: ")
                .hasMessageEndingWith(" (quote inline JSON in single quotes so that the shell keeps its double quotes)");
        assertThatThrownBy(() -> input("").read("{\"ID\":}")).hasMessageNotContaining("quote inline JSON");
    }

    @Test
    void decodingProblemsNameTheMember() {
        assertThatThrownBy(() -> input("").readObject("{\"ID\":true}", GroupSpec.class, "a group spec"))
                .hasMessage("inline JSON: ID must be a string");
        assertThatThrownBy(() -> input("").readObject("[]", GroupSpec.class, "a group spec"))
                .hasMessage("inline JSON: a group spec must be a JSON object");
    }

    @Test
    void whatCountsAsInline() {
        assertThat(JsonInput.isInline("{")).isTrue();
        assertThat(JsonInput.isInline(" [")).isTrue();
        assertThat(JsonInput.isInline("\"s\"")).isFalse();
        assertThat(JsonInput.isInline("x.json")).isFalse();
        assertThat(JsonInput.isInline(null)).isFalse();
    }
}
