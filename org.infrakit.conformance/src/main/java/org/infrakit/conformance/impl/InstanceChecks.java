package org.infrakit.conformance.impl;

import static org.infrakit.conformance.impl.Session.expect;
import static org.infrakit.conformance.impl.Session.obj;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code Instance/0.6.0}: the vectors that hold for any instance plugin, then provision, describe
 * (all, and filtered by tags), label (merge: labels not mentioned are kept) and destroy, on two
 * instances tagged with this run's ID. Whatever this run provisioned is destroyed at the end, also
 * when a check failed half-way; a plugin that keeps it anyway fails {@code instance.nothing-left}.
 */
final class InstanceChecks {
    static final String RUN_TAG = "infrakit.conformance";

    private InstanceChecks() {
    }

    static void run(Session s) {
        s.vector("instance.Validate.unknown-type", "instance.Validate.unknown-type", b -> b);
        s.vector("instance.DescribeInstances.no-match", "instance.DescribeInstances.no-match",
                b -> b.replace("\"nosuch\"", "\"" + s.runId + "\""));
        s.check("instance.Validate", () -> {
            JsonNode r = s.result("Instance.Validate", obj("Type", "", "Properties", properties(s)));
            expect(r.path("OK").asBoolean(false), "{\"OK\":true}", r.toString());
        });
        List<String> ids = new ArrayList<>();
        try {
            behaviour(s, ids);
        } finally {
            cleanUp(s, ids);
        }
    }

    private static Map<String, Object> properties(Session s) {
        return obj("Note", "written by the InfraKit conformance kit, run " + s.runId);
    }

    private static Map<String, Object> spec(Session s, String role) {
        return obj("Properties", properties(s), "Tags", new TreeMap<>(Map.of(RUN_TAG, s.runId, "role", role)),
                "Init", "", "LogicalID", null, "Attachments", null);
    }

    private static void behaviour(Session s, List<String> ids) {
        boolean provisioned = s.check("instance.Provision", () -> {
            for (String role : List.of("a", "b")) {
                JsonNode r = s.result("Instance.Provision", obj("Type", "", "Spec", spec(s, role)));
                expect(r.path("ID").isTextual() && !r.path("ID").asText().isEmpty(), "{\"ID\":\"<new id>\"}",
                        r.toString());
                ids.add(r.get("ID").asText());
            }
            expect(!ids.get(0).equals(ids.get(1)), "a new ID per instance", ids.toString());
        });
        if (!provisioned) {
            s.skip("instance.behaviour", "needs Instance.Provision to work");
            return;
        }
        String a = ids.get(0);
        String b = ids.get(1);
        s.check("instance.DescribeInstances.finds-provisioned", () -> {
            Map<String, JsonNode> found = describe(s, Map.of(RUN_TAG, s.runId));
            expect(found.keySet().equals(idSet(a, b)), "exactly " + List.of(a, b), found.keySet().toString());
            expect(tags(found.get(a), Map.of(RUN_TAG, s.runId, "role", "a")), "the provisioned tags on " + a,
                    found.get(a).toString());
        });
        s.check("instance.DescribeInstances.tag-filter", () -> {
            Map<String, JsonNode> found = describe(s, Map.of(RUN_TAG, s.runId, "role", "b"));
            expect(found.keySet().equals(idSet(b)), "only " + b + " (tags role=b)", found.keySet().toString());
        });
        s.check("instance.Label.merges", () -> {
            JsonNode r = s.result("Instance.Label", obj("Type", "", "Instance", a,
                    "Labels", Map.of("role", "changed", "extra", "x")));
            expect(r.path("OK").asBoolean(false), "{\"OK\":true}", r.toString());
            JsonNode d = describe(s, Map.of(RUN_TAG, s.runId)).get(a);
            expect(d != null && tags(d, Map.of(RUN_TAG, s.runId, "role", "changed", "extra", "x")),
                    "the labels added or overwritten and the other tags kept (" + RUN_TAG + ", role=changed, extra=x)",
                    String.valueOf(d));
        });
        s.check("instance.Label.missing", () -> s.error("Instance.Label",
                obj("Type", "", "Instance", s.runId + "-missing", "Labels", Map.of("x", "y")), -32000));
        s.check("instance.Destroy", () -> {
            for (String id : List.of(a, b)) {
                JsonNode r = s.result("Instance.Destroy", obj("Type", "", "Instance", id,
                        "Context", Map.of("Reason", "terminate")));
                expect(r.path("OK").asBoolean(false), "{\"OK\":true}", r.toString());
            }
            Map<String, JsonNode> left = describe(s, Map.of(RUN_TAG, s.runId));
            expect(left.isEmpty(), "no instance left after Destroy", left.keySet().toString());
            ids.clear();
        });
        s.check("instance.Destroy.missing", () -> s.error("Instance.Destroy",
                obj("Type", "", "Instance", s.runId + "-missing", "Context", Map.of("Reason", "terminate")), -32000));
    }

    /** Destroys what this run provisioned and the plugin still has; a plugin that keeps it fails. */
    private static void cleanUp(Session s, List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        s.check("instance.nothing-left", () -> {
            List<String> failed = new ArrayList<>();
            for (String id : ids) {
                try {
                    s.result("Instance.Destroy", obj("Type", "", "Instance", id, "Context", Map.of("Reason", "terminate")));
                } catch (Failure | IOException e) {
                    failed.add(id);
                }
            }
            Map<String, JsonNode> left = describe(s, Map.of(RUN_TAG, s.runId));
            expect(left.isEmpty(), "every instance of this run destroyed", "left: " + left.keySet()
                    + (failed.isEmpty() ? "" : ", Destroy failed for " + failed));
        });
    }

    /** @return the instances with these tags, by ID */
    static Map<String, JsonNode> describe(Session s, Map<String, String> tags) throws Failure, IOException {
        JsonNode list = s.result("Instance.DescribeInstances", obj("Type", "", "Tags", tags, "Properties", false))
                .path("Descriptions");
        expect(list.isArray() || list.isNull(), "{\"Descriptions\":[...]}", list.toString());
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode d : list) {
            out.put(d.path("ID").asText(), d);
        }
        return out;
    }

    /** @return whether a description carries these tags (a plugin may add its own) */
    private static boolean tags(JsonNode description, Map<String, String> tags) {
        return tags.entrySet().stream().allMatch(t -> description.path("Tags").path(t.getKey()).asText("\0")
                .equals(t.getValue()));
    }

    private static Set<String> idSet(String... ids) {
        return new TreeSet<>(List.of(ids));
    }
}
