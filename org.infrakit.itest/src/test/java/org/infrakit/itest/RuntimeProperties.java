package org.infrakit.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime's launch properties as the build writes them into the runtime ({@code -runproperties}
 * of {@code cnf/ext/runtime.bndrun.bnd}, system property {@code it.runtime.properties}), so that a
 * test can run FileInstall exactly as the runtime does instead of restating its settings.
 */
final class RuntimeProperties {
    private RuntimeProperties() {
    }

    /**
     * @param prefix the keys wanted, e.g. {@code felix.fileinstall.}
     * @return those launch properties, in file order
     */
    static Map<String, String> withPrefix(String prefix) throws IOException {
        String file = System.getProperty("it.runtime.properties");
        if (file == null) {
            throw new IllegalStateException("system property it.runtime.properties is not set (run the tests through "
                    + "Maven failsafe)");
        }
        List<String> lines = Files.readAllLines(Path.of(file));
        Map<String, String> out = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("-runproperties:")) {
                inside = true;
                t = t.substring("-runproperties:".length()).strip();
            } else if (!inside) {
                continue;
            }
            boolean more = t.endsWith("\\");
            String entry = (more ? t.substring(0, t.length() - 1) : t).strip();
            if (entry.endsWith(",")) {
                entry = entry.substring(0, entry.length() - 1);
            }
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.startsWith(prefix)) {
                out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
            }
            if (!more) {
                break;
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no -runproperties starting with " + prefix + " in " + file);
        }
        return out;
    }
}
