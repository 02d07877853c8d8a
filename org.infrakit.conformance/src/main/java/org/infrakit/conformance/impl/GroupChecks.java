package org.infrakit.conformance.impl;

import static org.infrakit.conformance.impl.Session.expect;
import static org.infrakit.conformance.impl.Session.obj;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code Group/0.1.0}. Reading checks on any group plugin: InspectGroups, and the documented
 * errors of DescribeGroup, FreeGroup, DestroyGroup and CommitGroup for a group that is not
 * managed. Writing checks: invalid commits are refused, a {@code Pretend} commit changes nothing,
 * and a group of two instances (of the instance and flavor plugins named in the options, in the
 * same plugins directory) is committed, converges, and is destroyed with its instances. A group
 * plugin that already manages groups gets the writing checks only with
 * {@link org.infrakit.conformance.Options#allowWrites()}; they never touch its groups (their group
 * ID is this run's).
 */
final class GroupChecks {
    private static final List<String> WRITES = List.of("group.CommitGroup.no-allocation",
            "group.CommitGroup.both-allocations", "group.CommitGroup.null-properties", "group.CommitGroup.bad-plugin-name",
            "group.CommitGroup.flavor-not-found", "group.CommitGroup.instance-not-found");
    private static final long POLL_MS = 250;

    private GroupChecks() {
    }

    static void run(Session s) {
        AtomicReference<JsonNode> before = new AtomicReference<>();
        s.check("group.InspectGroups", () -> {
            JsonNode groups = inspect(s);
            expect(groups.isNull() || groups.isArray() && allHaveIds(groups), "{\"Groups\":null|[{\"ID\":...},...]}",
                    groups.toString());
            before.set(groups);
        });
        if (before.get() != null && before.get().size() == 0) {
            s.vector("group.InspectGroups.empty", "group.InspectGroups.empty", b -> b);
        }
        UnaryOperator<String> unknown = b -> b.replace("\"cattle\"", "\"" + s.runId + "\"");
        for (String stem : List.of("group.DescribeGroup.not-watched", "group.FreeGroup.not-watched",
                "group.DestroyGroup.not-watched", "group.CommitGroup.blank-id")) {
            s.vector(stem, stem, unknown);
        }
        String refusal = writesRefused(s, before.get());
        if (refusal != null) {
            WRITES.forEach(name -> s.skip(name, refusal));
            List.of("group.CommitGroup.pretend", "group.CommitGroup.pretend-changes-nothing", "group.CommitGroup",
                    "group.DescribeGroup.converges", "group.DestroyGroup.ok", "group.DestroyGroup.leaves-nothing")
                    .forEach(name -> s.skip(name, refusal));
            return;
        }
        try (Session instances = s.sibling(s.options.instancePlugin())) {
            try {
                writes(s, instances, before.get());
            } finally {
                cleanUp(s, instances);
            }
        }
    }

    /** @return why the writing checks may not run, or {@code null} */
    private static String writesRefused(Session s, JsonNode before) {
        if (before == null) {
            return "InspectGroups did not answer, so it is not known whether the plugin manages groups";
        }
        if (before.size() > 0 && !s.options.allowWrites()) {
            List<String> ids = new ArrayList<>();
            before.forEach(g -> ids.add(g.path("ID").asText()));
            return "the plugin manages groups " + ids + ": pass --allow-writes to commit and destroy a group of "
                    + "this check's own beside them";
        }
        for (String name : List.of(s.options.instancePlugin(), s.options.flavorPlugin())) {
            if (!Files.exists(s.wire.socket().resolveSibling(name), LinkOption.NOFOLLOW_LINKS)) {
                return "no plugin '" + name + "' in " + s.wire.socket().getParent()
                        + " for the group to use (--instance-plugin, --flavor-plugin)";
            }
        }
        return null;
    }

    private static void writes(Session s, Session instances, JsonNode before) {
        String gid = s.runId;
        UnaryOperator<String> edit = b -> b.replace("\"cattle\"", "\"" + gid + "\"")
                .replace("\"instance-file\"", "\"" + s.options.instancePlugin() + "\"")
                .replace("\"flavor-vanilla\"", "\"" + s.options.flavorPlugin() + "\"")
                .replace("\"Size\":5", "\"Size\":2").replace("Managing 5 instances", "Managing 2 instances");
        WRITES.forEach(stem -> s.vector(stem, stem, edit));
        AtomicReference<JsonNode> beforePretend = new AtomicReference<>();
        s.check("group.CommitGroup.pretend", () -> {
            beforePretend.set(inspect(s));
            Compare.Expected e = Vectors.response("group.CommitGroup.cattle-new-pretend", s.profile());
            Compare.reply(Compare.Mode.JSON, new Compare.Expected(e.status(), edit.apply(e.body())),
                    s.wire.post(edit.apply(Vectors.request("group.CommitGroup.cattle-new-pretend"))));
        });
        s.check("group.CommitGroup.pretend-changes-nothing", () -> {
            JsonNode after = inspect(s);
            expect(after.equals(beforePretend.get()), "InspectGroups as before the Pretend commit: "
                    + beforePretend.get(), after.toString());
        });
        if (!s.vector("group.CommitGroup", "group.CommitGroup.cattle-new", edit)) {
            s.skip("group.DescribeGroup.converges", "needs the commit to succeed");
            return;
        }
        s.check("group.DescribeGroup.converges", () -> {
            JsonNode[] last = new JsonNode[1];
            boolean converged = poll(s, () -> {
                last[0] = s.result("Group.DescribeGroup", obj("ID", gid)).path("Description");
                return last[0].path("Converged").asBoolean(false) && last[0].path("Instances").size() == 2;
            });
            expect(converged, "{\"Converged\":true} with 2 instances within " + s.options.convergeTimeout().toSeconds()
                    + " s", String.valueOf(last[0]));
            Map<String, JsonNode> members = InstanceChecks.describe(instances, Map.of("infrakit.group", gid));
            expect(members.size() == 2, "2 instances tagged infrakit.group=" + gid + " on "
                    + s.options.instancePlugin(), members.keySet().toString());
        });
        s.vector("group.DestroyGroup.ok", "group.DestroyGroup.ok", edit);
        s.check("group.DestroyGroup.leaves-nothing", () -> {
            String[] last = new String[1];
            boolean gone = poll(s, () -> {
                JsonNode groups = inspect(s);
                Map<String, JsonNode> left = InstanceChecks.describe(instances, Map.of("infrakit.group", gid));
                last[0] = "groups " + groups + ", instances " + left.keySet();
                return groups.equals(before) && left.isEmpty();
            });
            expect(gone, "the groups as before (" + before + ") and no instance tagged infrakit.group=" + gid,
                    last[0]);
        });
    }

    /** Destroys this run's group and its instances if they are still there; the plugin fails when it must. */
    private static void cleanUp(Session s, Session instances) {
        List<String> acted = new ArrayList<>();
        try {
            if (ids(inspect(s)).contains(s.runId)) {
                s.call("Group.DestroyGroup", obj("ID", s.runId));
                acted.add("destroyed group " + s.runId);
            }
            for (String id : InstanceChecks.describe(instances, Map.of("infrakit.group", s.runId)).keySet()) {
                instances.call("Instance.Destroy", obj("Type", "", "Instance", id, "Context",
                        Map.of("Reason", "terminate")));
                acted.add("destroyed instance " + id);
            }
        } catch (Failure | IOException | RuntimeException e) {
            acted.add("could not clean up: " + e.getMessage());
        }
        if (!acted.isEmpty()) {
            s.check("group.nothing-left", () -> {
                throw new Failure("nothing of this run left on the plugins", String.join(", ", acted));
            });
        }
    }

    private static JsonNode inspect(Session s) throws Failure, IOException {
        return s.result("Group.InspectGroups", Map.of()).path("Groups");
    }

    private static List<String> ids(JsonNode groups) {
        List<String> ids = new ArrayList<>();
        groups.forEach(g -> ids.add(g.path("ID").asText()));
        return ids;
    }

    private static boolean allHaveIds(JsonNode groups) {
        for (JsonNode g : groups) {
            if (!g.path("ID").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private interface Condition {
        boolean holds() throws Failure, IOException;
    }

    /** @return whether the condition held before the converge deadline */
    private static boolean poll(Session s, Condition c) throws Failure, IOException {
        long deadline = System.nanoTime() + s.options.convergeTimeout().toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting");
            }
        }
        return true;
    }
}
