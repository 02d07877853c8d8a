package org.infrakit.reliability;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An instance directory as it is on disk, read independently of the plugin: every entry is an
 * instance file (a JSON object whose {@code ID} is its file name), a temporary file of an atomic
 * write ({@code .<name>.<random>.infrakit-tmp}), or a stray.
 */
final class InstanceFiles {
    private InstanceFiles() {
    }

    /** @param id its ID @param tags its current tags */
    record Member(String id, Map<String, String> tags) {
        String tag(String key) {
            return tags.get(key);
        }
    }

    /** @param instances instance files by ID @param temporaries temporary files @param strays anything else */
    record Listing(Map<String, Member> instances, List<String> temporaries, List<String> strays) {
    }

    /** @param dir an instance directory @return what is in it now */
    static Listing read(Path dir) {
        Map<String, Member> instances = new TreeMap<>();
        List<String> temporaries = new ArrayList<>();
        List<String> strays = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(".infrakit-tmp")) {
                    temporaries.add(name);
                    continue;
                }
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    strays.add(name + " (not a regular file)");
                    continue;
                }
                JsonNode n;
                try {
                    n = Replies.STRICT.readTree(Files.readAllBytes(p));
                } catch (NoSuchFileException e) {
                    continue; // destroyed while listing
                } catch (IOException e) {
                    strays.add(name + " (not JSON: " + e.getMessage() + ")");
                    continue;
                }
                if (n == null || !n.isObject() || !name.equals(n.path("ID").textValue())) {
                    strays.add(name + " (not an instance file named by its ID)");
                    continue;
                }
                Map<String, String> tags = new TreeMap<>();
                n.path("Tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
                instances.put(name, new Member(name, tags));
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + dir + ": " + e, e);
        }
        return new Listing(instances, temporaries, strays);
    }
}
