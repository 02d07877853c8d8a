package org.infrakit.conformance.impl;

import static org.infrakit.conformance.impl.Session.expect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.infrakit.conformance.Profile;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The handshake of both generations: {@code Handshake.Implements} and {@code Handshake.Types}
 * (2017), and {@code Plugin.Implements} (the documented one; this project serves both, the 2017
 * reference only the first two).
 */
final class HandshakeChecks {
    private HandshakeChecks() {
    }

    /** @return the interfaces the plugin declares, as {@code Name/Version}; empty when no handshake answered */
    static Set<String> run(Session s) {
        AtomicReference<JsonNode> apis = new AtomicReference<>();
        s.check("handshake.Handshake.Implements", () -> {
            JsonNode list = s.result("Handshake.Implements", Map.of()).path("APIs");
            expect(list.isArray() && list.size() > 0 && names(list) != null,
                    "{\"APIs\":[{\"Name\":...,\"Version\":...},...]} with at least one interface", list.toString());
            apis.set(list);
        });
        s.check("handshake.Handshake.Types", () -> {
            JsonNode types = s.result("Handshake.Types", Map.of()).path("Types");
            expect(types.isObject(), "{\"Types\":{\"Name/Version\":[\".\"],...}}", types.toString());
            Set<String> keys = new LinkedHashSet<>();
            types.fieldNames().forEachRemaining(keys::add);
            Set<String> declared = apis.get() == null ? null : names(apis.get());
            expect(declared == null || keys.equals(declared), "one key per interface of Handshake.Implements "
                    + declared, keys.toString());
            for (JsonNode v : types) {
                expect(v.isArray(), "an array of object names per interface", types.toString());
            }
        });
        AtomicReference<JsonNode> interfaces = new AtomicReference<>();
        if (s.profile() == Profile.REFERENCE_2017) {
            // the reference has no Plugin.Implements: "rpc: can't find service" (-32000)
            s.vector("handshake.Plugin.Implements", "plugin.Implements.group", b -> b);
        } else {
            s.check("handshake.Plugin.Implements", () -> {
                JsonNode list = s.result("Plugin.Implements", Map.of()).path("Interfaces");
                expect(list.isArray() && list.size() > 0 && names(list) != null,
                        "{\"Interfaces\":[{\"Name\":...,\"Version\":...},...]}", list.toString());
                interfaces.set(list);
                expect(apis.get() == null || Compare.sorted(list).equals(Compare.sorted(apis.get())),
                        "the interfaces of Handshake.Implements " + apis.get(), list.toString());
            });
        }
        JsonNode known = apis.get() != null ? apis.get() : interfaces.get();
        Set<String> declared = known == null ? Set.of() : names(known);
        return declared;
    }

    /** @return {@code Name/Version} of each entry, or {@code null} when an entry is not {Name, Version} */
    private static Set<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode api : list) {
            if (!api.path("Name").isTextual() || !api.path("Version").isTextual()) {
                return null;
            }
            out.add(api.get("Name").asText() + "/" + api.get("Version").asText());
        }
        return new LinkedHashSet<>(out);
    }
}
