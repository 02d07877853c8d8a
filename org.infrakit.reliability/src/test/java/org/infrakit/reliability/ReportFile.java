package org.infrakit.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reliability report, {@code target/reliability-load.txt}: one section per test class that
 * measures something, each starting with a line {@code ## <name>}; a run replaces its own
 * section and keeps the others, whatever order the classes run in.
 */
final class ReportFile {
    static final String NAME = "reliability-load.txt";

    private ReportFile() {
    }

    /**
     * @param name the section's name
     * @param text its lines (without the heading)
     */
    static synchronized void section(String name, String text) {
        Path out = Scale.outDir().resolve(NAME);
        try {
            Files.createDirectories(out.getParent());
            Map<String, String> sections = new LinkedHashMap<>();
            if (Files.exists(out)) {
                String current = null;
                StringBuilder body = new StringBuilder();
                for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                    if (line.startsWith("## ")) {
                        if (current != null) {
                            sections.put(current, body.toString());
                        }
                        current = line.substring(3);
                        body.setLength(0);
                    } else if (current != null) {
                        body.append(line).append('\n');
                    }
                }
                if (current != null) {
                    sections.put(current, body.toString());
                }
            }
            sections.put(name, text.endsWith("\n") ? text : text + "\n");
            StringBuilder all = new StringBuilder();
            sections.forEach((k, v) -> all.append("## ").append(k).append('\n').append(v));
            Files.writeString(out, all.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
