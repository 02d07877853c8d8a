package org.infrakit.shell.verbs;

import java.util.Locale;

/** How a verb prints its result. */
public enum OutputFormat {
    /** For people: the 2017 CLI's texts and tables; documents (specs) as indented JSON. */
    TABLE,
    /** For programs: one compact JSON document on one line, in the wire protocol's spelling. */
    JSON;

    /**
     * @param name {@code table} or {@code json}, any case
     * @return the format
     * @throws InputException naming the accepted values
     */
    public static OutputFormat parse(String name) throws InputException {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "table", "text" -> TABLE;
            case "json" -> JSON;
            default -> throw new InputException("unknown output format '" + name + "' (use table or json)");
        };
    }
}
