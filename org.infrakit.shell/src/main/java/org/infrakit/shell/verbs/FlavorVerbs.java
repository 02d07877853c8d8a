package org.infrakit.shell.verbs;

import java.util.List;
import java.util.Objects;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The verbs of a flavor plugin. The 2017 CLI's flavor verbs were broken; these do what its help
 * promised. JSON output is listed per verb.
 */
public final class FlavorVerbs {
    private final PluginLookup lookup;

    /** @param lookup finds the flavor plugin */
    public FlavorVerbs(PluginLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * Validates flavor properties for an allocation. Text: {@code validate:ok}. JSON:
     * {@code {"OK":true}}.
     *
     * @param plugin the flavor plugin
     * @param properties the flavor's properties, {@code null} for none
     * @param allocation the group allocation to validate against
     * @param format the output format
     * @return the result
     */
    public VerbResult validate(PluginRef plugin, RawJson properties, Allocation allocation, OutputFormat format) {
        return Invocation.run(lookup, FlavorPlugin.class, plugin, format, (f, out) -> {
            f.validate(properties, allocation);
            out.result(new InstanceVerbs.Ok(true), "validate:ok\n");
        });
    }

    /**
     * Lets the flavor prepare an instance spec. Text: the resulting spec as indented JSON. JSON:
     * the spec, compact.
     *
     * @param plugin the flavor plugin
     * @param properties the flavor's properties, {@code null} for none
     * @param spec the spec to prepare
     * @param allocation the group allocation
     * @param index which instance of which group
     * @param format the output format
     * @return the result
     */
    public VerbResult prepare(PluginRef plugin, RawJson properties, InstanceSpec spec, Allocation allocation,
            Index index, OutputFormat format) {
        return Invocation.run(lookup, FlavorPlugin.class, plugin, format, (f, out) -> {
            InstanceSpec prepared = f.prepare(properties, spec, allocation, index);
            out.result(prepared, JsonText.indented(prepared));
        });
    }

    /**
     * Asks the flavor how healthy instances are, one after the other, stopping at the first failure.
     * Text: the health code per instance on its own line ({@code 0} unknown, {@code 1} healthy,
     * {@code 2} unhealthy), as the 2017 CLI printed it. JSON: an array of
     * {@code {"ID":"instance-1","Health":1}}.
     *
     * @param plugin the flavor plugin
     * @param properties the flavor's properties, {@code null} for none
     * @param instances the instances
     * @param format the output format
     * @return the result
     */
    public VerbResult healthy(PluginRef plugin, RawJson properties, List<InstanceDescription> instances,
            OutputFormat format) {
        List<InstanceDescription> all = List.copyOf(instances);
        return Invocation.run(lookup, FlavorPlugin.class, plugin, format, (f, out) -> {
            out.items();
            for (InstanceDescription d : all) {
                Health h = Objects.requireNonNullElse(f.healthy(properties, d), Health.UNKNOWN);
                out.item(new Healthiness(d.id(), h), Integer.toString(h.code()));
            }
        });
    }

    /**
     * Drains instances one after the other, stopping at the first failure. Text:
     * {@code drained <id>} per instance. JSON: an array of {@code {"ID":"instance-1","OK":true}}.
     *
     * @param plugin the flavor plugin
     * @param properties the flavor's properties, {@code null} for none
     * @param instances the instances
     * @param format the output format
     * @return the result
     */
    public VerbResult drain(PluginRef plugin, RawJson properties, List<InstanceDescription> instances,
            OutputFormat format) {
        List<InstanceDescription> all = List.copyOf(instances);
        return Invocation.run(lookup, FlavorPlugin.class, plugin, format, (f, out) -> {
            out.items();
            for (InstanceDescription d : all) {
                f.drain(properties, d);
                out.item(new InstanceVerbs.Done(d.id(), true), "drained " + d.id());
            }
        });
    }

    @JsonPropertyOrder({"ID", "Health"})
    record Healthiness(@JsonProperty("ID") String id, @JsonProperty("Health") Health health) {
    }
}
