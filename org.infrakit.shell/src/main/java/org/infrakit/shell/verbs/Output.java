package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.List;

/**
 * What a verb prints, collected in both forms while it runs, so that a failure half-way can still
 * show what was done: text for people, and either one JSON document or a JSON array of items.
 */
final class Output {
    private final StringBuilder text = new StringBuilder();
    private Object document;
    private List<Object> items;

    /** Sets the whole result: the JSON document and its text form (which ends with a line break). */
    void result(Object json, String textForm) {
        this.document = json;
        text.append(textForm);
    }

    /** Adds one item of a verb over several inputs: a JSON array element and a text line. */
    void item(Object json, String line) {
        if (items == null) {
            items = new ArrayList<>();
        }
        items.add(json);
        text.append(line).append('\n');
    }

    /** Declares a verb over several inputs, so that JSON output is an array even when empty. */
    void items() {
        if (items == null) {
            items = new ArrayList<>();
        }
    }

    String render(OutputFormat format) {
        if (format == OutputFormat.TABLE) {
            return text.toString();
        }
        if (items != null) {
            return JsonText.compact(items);
        }
        return document == null ? "" : JsonText.compact(document);
    }
}
