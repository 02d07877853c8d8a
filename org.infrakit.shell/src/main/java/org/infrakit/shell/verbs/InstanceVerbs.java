package org.infrakit.shell.verbs;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.infrakit.spi.DestroyContext;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstancePlugin;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The verbs of an instance plugin. Texts follow the 2017 CLI; JSON output is listed per verb.
 */
public final class InstanceVerbs {
    private final PluginLookup lookup;

    /** @param lookup finds the instance plugin */
    public InstanceVerbs(PluginLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * Validates instance properties. Text: {@code validate:ok}. JSON: {@code {"OK":true}}.
     *
     * @param plugin the instance plugin
     * @param properties the plugin's properties, {@code null} for none
     * @param format the output format
     * @return the result
     */
    public VerbResult validate(PluginRef plugin, RawJson properties, OutputFormat format) {
        return Invocation.run(lookup, InstancePlugin.class, plugin, format, (p, out) -> {
            p.validate(properties);
            out.result(new Ok(true), "validate:ok\n");
        });
    }

    /**
     * Provisions one instance. Text: the new ID on its own line. JSON: {@code {"ID":"instance-1"}}
     * ({@code null} when the plugin reported no ID).
     *
     * @param plugin the instance plugin
     * @param spec what to provision
     * @param format the output format
     * @return the result
     */
    public VerbResult provision(PluginRef plugin, InstanceSpec spec, OutputFormat format) {
        return Invocation.run(lookup, InstancePlugin.class, plugin, format, (p, out) -> {
            String id = p.provision(spec);
            out.result(new Provisioned(id), (id == null ? "provisioned (the plugin reported no ID)" : id) + "\n");
        });
    }

    /**
     * Lists instances. Text: the {@code ID LOGICAL TAGS} table of the 2017 CLI, with a
     * {@code PROPERTIES} column when {@code properties}. JSON: the array of instance descriptions
     * ({@code []} when none).
     *
     * @param plugin the instance plugin
     * @param tags only instances carrying all these tags; {@code null} or empty for all
     * @param properties ask the plugin for each instance's properties
     * @param quiet leave out the header line
     * @param format the output format
     * @return the result
     */
    public VerbResult describe(PluginRef plugin, Map<String, String> tags, boolean properties, boolean quiet,
            OutputFormat format) {
        Map<String, String> filter = tags == null || tags.isEmpty() ? null : Tags.sorted(tags);
        return Invocation.run(lookup, InstancePlugin.class, plugin, format, (p, out) -> {
            List<InstanceDescription> found = Objects.requireNonNullElse(p.describeInstances(filter, properties),
                    List.of());
            out.result(found, DescribeTable.render(found, quiet, properties));
        });
    }

    /**
     * Sets tags on an instance. Text: {@code labeled <id>}. JSON: {@code {"ID":"instance-1","OK":true}}.
     *
     * @param plugin the instance plugin
     * @param id the instance's ID
     * @param labels the tags to set
     * @param format the output format
     * @return the result
     */
    public VerbResult label(PluginRef plugin, String id, Map<String, String> labels, OutputFormat format) {
        Map<String, String> sorted = Tags.sorted(labels);
        return Invocation.run(lookup, InstancePlugin.class, plugin, format, (p, out) -> {
            p.label(id, sorted);
            out.result(new Done(id, true), "labeled " + id + "\n");
        });
    }

    /**
     * Destroys instances one after the other with {@code {"Reason":"terminate"}}, stopping at the
     * first failure. Text: {@code destroyed <id>} per instance. JSON: an array of
     * {@code {"ID":"instance-1","OK":true}}. On a failure the output holds the instances destroyed
     * before it.
     *
     * @param plugin the instance plugin
     * @param ids the instances' IDs
     * @param format the output format
     * @return the result
     */
    public VerbResult destroy(PluginRef plugin, List<String> ids, OutputFormat format) {
        List<String> all = List.copyOf(ids);
        return Invocation.run(lookup, InstancePlugin.class, plugin, format, (p, out) -> {
            out.items();
            for (String id : all) {
                p.destroy(id, DestroyContext.TERMINATING);
                out.item(new Done(id, true), "destroyed " + id);
            }
        });
    }

    @JsonPropertyOrder({"OK"})
    record Ok(@JsonProperty("OK") boolean ok) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Provisioned(@JsonProperty("ID") String id) {
    }

    @JsonPropertyOrder({"ID", "OK"})
    record Done(@JsonProperty("ID") String id, @JsonProperty("OK") boolean ok) {
    }
}
