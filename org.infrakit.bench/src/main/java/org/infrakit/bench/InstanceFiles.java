package org.infrakit.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.infrakit.rpc.json.ProtocolJson;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Looks at an instance directory from outside, as a person with {@code ls} and {@code cat} would:
 * which instance files are there and which tags they carry.
 */
final class InstanceFiles {
    private InstanceFiles() {
    }

    /**
     * @param dir an instance directory
     * @return the instance files' names (the file plugin's temporary files, dot files, are left out)
     * @throws IOException when the directory cannot be listed
     */
    static List<String> names(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".")) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    /**
     * @param dir an instance directory
     * @param names files in it
     * @param tags the tags each must carry (top-level {@code Tags} of the file)
     * @return how many of the files exist and carry every one of the tags
     * @throws IOException when a file cannot be read or is not JSON
     */
    static int countTagged(Path dir, List<String> names, Map<String, String> tags) throws IOException {
        int n = 0;
        for (String name : names) {
            JsonNode file;
            try {
                file = ProtocolJson.mapper().readTree(Files.readAllBytes(dir.resolve(name)));
            } catch (NoSuchFileException e) {
                continue; // destroyed since it was listed
            }
            JsonNode t = file.get("Tags");
            boolean all = t != null && t.isObject();
            for (Map.Entry<String, String> e : tags.entrySet()) {
                if (!all) {
                    break;
                }
                JsonNode v = t.get(e.getKey());
                all = v != null && e.getValue().equals(v.asText());
            }
            if (all) {
                n++;
            }
        }
        return n;
    }

    /**
     * @param dir an instance directory
     * @param names files in it
     * @param key a tag
     * @param required tags every counted file must also carry
     * @return per value of the tag {@code key}, how many of the files carry it and every required tag
     * @throws IOException when a file cannot be read or is not JSON
     */
    static Map<String, Integer> countByTag(Path dir, List<String> names, String key, Map<String, String> required)
            throws IOException {
        Map<String, Integer> out = new java.util.HashMap<>();
        for (String name : names) {
            JsonNode file;
            try {
                file = ProtocolJson.mapper().readTree(Files.readAllBytes(dir.resolve(name)));
            } catch (NoSuchFileException e) {
                continue;
            }
            JsonNode t = file.get("Tags");
            if (t == null || !t.isObject() || t.get(key) == null) {
                continue;
            }
            boolean all = true;
            for (Map.Entry<String, String> e : required.entrySet()) {
                JsonNode v = t.get(e.getKey());
                all &= v != null && e.getValue().equals(v.asText());
            }
            if (all) {
                out.merge(t.get(key).asText(), 1, Integer::sum);
            }
        }
        return out;
    }
}
