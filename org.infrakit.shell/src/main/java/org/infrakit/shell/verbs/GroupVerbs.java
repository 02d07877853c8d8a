package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.infrakit.spi.GroupDescription;
import org.infrakit.spi.GroupPlugin;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The verbs of a group plugin. Texts follow the 2017 CLI; JSON output is listed per verb.
 */
public final class GroupVerbs {
    private final PluginLookup lookup;

    /** @param lookup finds the group plugin */
    public GroupVerbs(PluginLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * Commits a group spec. Text: {@code Committed <id>: <details>}, with {@code pretend}
     * {@code Committing <id> would involve: <details>}. JSON:
     * {@code {"ID":"cattle","Pretend":false,"Details":"Managing 5 instances"}}.
     *
     * @param group the group plugin
     * @param spec the spec to commit
     * @param pretend {@code true} for a dry run
     * @param format the output format
     * @return the result
     */
    public VerbResult commit(PluginRef group, GroupSpec spec, boolean pretend, OutputFormat format) {
        return Invocation.run(lookup, GroupPlugin.class, group, format, (g, out) -> {
            String details = Objects.requireNonNullElse(g.commitGroup(spec, pretend), "");
            String text = pretend
                    ? "Committing " + spec.id() + " would involve: " + details
                    : "Committed " + spec.id() + ": " + details;
            out.result(new Committed(spec.id(), pretend, details), text + "\n");
        });
    }

    /**
     * Describes a group's instances. Text: the {@code ID LOGICAL TAGS} table of the 2017 CLI
     * (without the header when {@code quiet}). JSON: the group description,
     * {@code {"Instances":[…],"Converged":true}}.
     *
     * @param group the group plugin
     * @param id the group's ID
     * @param quiet leave out the header line
     * @param format the output format
     * @return the result
     */
    public VerbResult describe(PluginRef group, String id, boolean quiet, OutputFormat format) {
        return Invocation.run(lookup, GroupPlugin.class, group, format, (g, out) -> {
            GroupDescription d = g.describeGroup(id);
            if (d == null) {
                d = new GroupDescription(null, false);
            }
            out.result(d, DescribeTable.render(d.instances(), quiet, false));
        });
    }

    /**
     * Shows the committed specs. Without an ID all of them, sorted by ID: text an indented JSON
     * array, JSON a compact array ({@code []} when none). With an ID that group's spec as a JSON
     * object; an unknown ID fails with {@code Group <id> is not being watched} (the 2017 CLI's text).
     *
     * @param group the group plugin
     * @param id a group's ID, or {@code null} for all groups
     * @param format the output format
     * @return the result
     */
    public VerbResult inspect(PluginRef group, String id, OutputFormat format) {
        return Invocation.run(lookup, GroupPlugin.class, group, format, (g, out) -> {
            List<GroupSpec> specs = specs(g);
            if (id == null) {
                out.result(specs, JsonText.indented(specs));
                return;
            }
            GroupSpec spec = specs.stream().filter(s -> s.id().equals(id)).findFirst()
                    .orElseThrow(() -> new PluginException("Group " + id + " is not being watched"));
            out.result(spec, JsonText.indented(spec));
        });
    }

    /**
     * Lists the IDs of the managed groups, sorted. Text: a line {@code ID} (left out when
     * {@code quiet}) and one ID per line. JSON: an array of IDs.
     *
     * @param group the group plugin
     * @param quiet leave out the header line
     * @param format the output format
     * @return the result
     */
    public VerbResult list(PluginRef group, boolean quiet, OutputFormat format) {
        return Invocation.run(lookup, GroupPlugin.class, group, format, (g, out) -> {
            List<String> ids = specs(g).stream().map(GroupSpec::id).toList();
            StringBuilder text = new StringBuilder(quiet ? "" : "ID\n");
            ids.forEach(i -> text.append(i).append('\n'));
            out.result(ids, text.toString());
        });
    }

    /**
     * Stops managing a group, leaving its instances. Text: {@code Freed <id>}. JSON:
     * {@code {"ID":"cattle","OK":true}}.
     *
     * @param group the group plugin
     * @param id the group's ID
     * @param format the output format
     * @return the result
     */
    public VerbResult free(PluginRef group, String id, OutputFormat format) {
        return Invocation.run(lookup, GroupPlugin.class, group, format, (g, out) -> {
            g.freeGroup(id);
            out.result(new Done(id, true), "Freed " + id + "\n");
        });
    }

    /**
     * Stops managing a group and destroys its instances. Text: {@code Destroy <id> initiated}.
     * JSON: {@code {"ID":"cattle","OK":true}}.
     *
     * @param group the group plugin
     * @param id the group's ID
     * @param format the output format
     * @return the result
     */
    public VerbResult destroy(PluginRef group, String id, OutputFormat format) {
        return Invocation.run(lookup, GroupPlugin.class, group, format, (g, out) -> {
            g.destroyGroup(id);
            out.result(new Done(id, true), "Destroy " + id + " initiated\n");
        });
    }

    private static List<GroupSpec> specs(GroupPlugin g) throws PluginException {
        List<GroupSpec> specs = new ArrayList<>(Objects.requireNonNullElse(g.inspectGroups(), List.of()));
        specs.sort(Comparator.comparing(GroupSpec::id));
        return specs;
    }

    @JsonPropertyOrder({"ID", "Pretend", "Details"})
    record Committed(@JsonProperty("ID") String id, @JsonProperty("Pretend") boolean pretend,
            @JsonProperty("Details") String details) {
    }

    @JsonPropertyOrder({"ID", "OK"})
    record Done(@JsonProperty("ID") String id, @JsonProperty("OK") boolean ok) {
    }
}
