package org.infrakit.conformance.impl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.infrakit.conformance.Profile;

/**
 * The golden vectors packaged in this bundle (from the repository's {@code docs/golden} by the
 * build): a request body, and the reply of this project's rules or, for the 2017 profile, the
 * reference's own reply where it differs ({@code reference-only/}).
 */
final class Vectors {
    private static final String ROOT = "org/infrakit/conformance/golden/";

    private Vectors() {
    }

    /** @return the request body of a vector */
    static String request(String stem) {
        String body = read(stem + ".request.json");
        if (body == null) {
            throw new IllegalStateException("no golden vector " + stem + " in this build");
        }
        return body;
    }

    /** @return the reply a vector expects under a profile */
    static Compare.Expected response(String stem, Profile profile) {
        int status = switch (stem) {
            case "http.get-root" -> 405;
            case "http.wrong-content-type" -> 415;
            case "http.unknown-path" -> 404;
            default -> 200;
        };
        String body = profile == Profile.REFERENCE_2017 ? read("reference-only/" + stem + ".response.json") : null;
        if (body == null) {
            body = read(stem + ".response.json");
        }
        if (body == null) {
            body = read(stem + ".response.txt");
        }
        if (body == null) {
            throw new IllegalStateException("no golden vector " + stem + " in this build");
        }
        return new Compare.Expected(status, body);
    }

    private static String read(String file) {
        try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(ROOT + file)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
