package org.infrakit.conformance.impl;

import static org.infrakit.conformance.impl.Session.expect;
import static org.infrakit.conformance.impl.Session.obj;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code Flavor/0.1.0}: Validate, Prepare, Healthy and Drain. Every flavor must keep what the
 * group plugin relies on when it prepares a spec (the instance properties, the logical ID, the
 * {@code infrakit.*} tags that identify the group and its configuration). The vanilla flavor's
 * vectors (its merge of tags and init lines, Go's HTML escaping) apply to a plugin named
 * {@code flavor-vanilla}, their target.
 */
final class FlavorChecks {
    static final String VANILLA = "flavor-vanilla";

    private FlavorChecks() {
    }

    static void run(Session s) {
        s.vector("flavor.Validate.unknown-type", "flavor.Validate.unknown-type", b -> b);
        if (s.plugin.equals(VANILLA)) {
            for (String stem : List.of("flavor.Validate.ok", "flavor.Prepare.cattle", "flavor.Prepare.merge",
                    "flavor.Prepare.html-escape", "flavor.Healthy.ok", "flavor.Drain.ok")) {
                s.vector(stem, stem, b -> b);
            }
        }
        Map<String, Object> allocation = obj("Size", 1, "LogicalIDs", null);
        Map<String, String> groupTags = Map.of("infrakit.group", s.runId, "infrakit.config_sha", "conformance");
        Map<String, Object> instance = obj("ID", s.runId + "-1", "LogicalID", null, "Tags", groupTags);
        s.check("flavor.Validate", () -> {
            JsonNode r = s.result("Flavor.Validate", obj("Type", "", "Properties", null, "Allocation", allocation));
            expect(r.path("OK").asBoolean(false), "{\"OK\":true} for properties null", r.toString());
        });
        s.check("flavor.Prepare.keeps-group-identity", () -> {
            Map<String, Object> spec = obj("Properties", Map.of("Note", s.runId), "Tags", groupTags, "Init", "",
                    "LogicalID", "10.0.0.1", "Attachments", null);
            JsonNode out = s.result("Flavor.Prepare", obj("Type", "", "Properties", null, "Spec", spec,
                    "Allocation", obj("Size", 0, "LogicalIDs", List.of("10.0.0.1")),
                    "Index", obj("Group", s.runId, "Sequence", 0))).path("Spec");
            boolean kept = out.path("Properties").equals(Compare.JSON.valueToTree(spec.get("Properties")))
                    && out.path("LogicalID").asText("").equals("10.0.0.1")
                    && groupTags.entrySet().stream().allMatch(t -> out.path("Tags").path(t.getKey()).asText("")
                            .equals(t.getValue()));
            expect(kept, "a Spec with the same Properties, LogicalID and infrakit.* tags", out.toString());
        });
        s.check("flavor.Healthy", () -> {
            JsonNode r = s.result("Flavor.Healthy", obj("Type", "", "Properties", null, "Instance", instance));
            int h = r.path("Health").asInt(-1);
            expect(r.path("Health").isInt() && h >= 0 && h <= 2, "{\"Health\":0|1|2}", r.toString());
        });
        s.check("flavor.Drain", () -> {
            JsonNode r = s.result("Flavor.Drain", obj("Type", "", "Properties", null, "Instance", instance));
            expect(r.path("OK").asBoolean(false), "{\"OK\":true}", r.toString());
        });
    }
}
