package org.infrakit.conformance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a conformance run found.
 *
 * @param plugin the plugin's name (the socket's file name)
 * @param profile the rules it was checked against
 * @param checks every check, in the order they ran
 */
public record Report(String plugin, Profile profile, List<CheckResult> checks) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Canonical constructor: copies. */
    public Report {
        checks = List.copyOf(checks);
    }

    /** @return how many checks passed */
    public long passed() {
        return count(CheckResult.Status.PASS);
    }

    /** @return how many checks failed */
    public long failed() {
        return count(CheckResult.Status.FAIL);
    }

    /** @return how many checks were skipped */
    public long skipped() {
        return count(CheckResult.Status.SKIP);
    }

    private long count(CheckResult.Status status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }

    /** @return whether every check that ran passed (and at least one ran) */
    public boolean ok() {
        return failed() == 0 && passed() > 0;
    }

    /** @return the process exit code: 0 when {@link #ok()}, else 1 */
    public int exitCode() {
        return ok() ? 0 : 1;
    }

    /** @return one line per check, then {@code N passed, M failed} (and {@code , K skipped}) */
    public String text() {
        StringBuilder out = new StringBuilder();
        checks.forEach(c -> out.append(c.line()).append('\n'));
        out.append(passed()).append(" passed, ").append(failed()).append(" failed");
        if (skipped() > 0) {
            out.append(", ").append(skipped()).append(" skipped");
        }
        return out.append('\n').toString();
    }

    /**
     * @return one line of JSON: {@code {"plugin", "profile", "checks": [{"name", "status",
     *     "expected", "actual"}], "passed", "failed", "skipped", "ok"}}
     */
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("plugin", plugin);
        root.put("profile", profile.word());
        root.set("checks", JSON.valueToTree(checks.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("status", c.status().name());
            m.put("expected", c.expected());
            m.put("actual", c.actual());
            return m;
        }).toList()));
        root.put("passed", passed());
        root.put("failed", failed());
        root.put("skipped", skipped());
        root.put("ok", ok());
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report is always writable", e);
        }
    }
}
