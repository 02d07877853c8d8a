package org.infrakit.flavor.vanilla.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.Attachment;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginName;
import org.infrakit.spi.RawJson;
import org.infrakit.spi.Tags;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * The vanilla flavor: adds init lines, tags and attachments from its properties
 * ({@link VanillaProperties}) to every instance spec, judges every instance healthy and has
 * nothing to drain. Stateless and safe for concurrent use; it needs no OSGi to run.
 *
 * <p>Behaviour is the 2017 reference's ({@code examples/flavor/vanilla/flavor.go}) exactly; see
 * {@link #prepare}.
 *
 * <p>As a DS component it is the built-in flavor {@value #NAME}, always there, ranked
 * {@value #BUILT_IN_RANKING}: a factory configuration that uses the same name
 * ({@link ConfiguredVanillaFlavor}, ranked higher) serves that name while it exists.
 */
@PluginName(VanillaFlavor.NAME)
@Component(service = FlavorPlugin.class, configurationPolicy = ConfigurationPolicy.IGNORE,
        property = "service.ranking:Integer=" + VanillaFlavor.BUILT_IN_RANKING)
public final class VanillaFlavor implements FlavorPlugin {
    /** The built-in plugin name, as in the reference. */
    public static final String NAME = "flavor-vanilla";

    /** The built-in flavor's {@code service.ranking}: below any configured one. */
    static final int BUILT_IN_RANKING = -1;

    /**
     * Checks that the properties decode into the vanilla schema. {@code null} is fine; the
     * allocation is not looked at (both sized and logical-ID groups are accepted).
     */
    @Override
    public void validate(RawJson properties, Allocation allocation) throws PluginException {
        VanillaProperties.decode(properties);
    }

    /**
     * Merges the properties into the spec, as the reference does:
     * <ul>
     * <li><b>Init</b>: the spec's init script (when not empty) followed by every init line, joined
     * with {@code \n} (no trailing newline; {@code ""} when there is nothing).</li>
     * <li><b>Tags</b>: every flavor tag is set on the spec, overwriting an existing key (even an
     * {@code infrakit.*} one); a {@code null} tag map stays {@code null} when the flavor has no
     * tags.</li>
     * <li><b>Attachments</b>: the flavor's are appended after the spec's; a {@code null} list stays
     * {@code null} when the flavor has none.</li>
     * </ul>
     * Properties and logical ID are returned unchanged; allocation and index are ignored.
     *
     * @throws PluginException when the properties do not fit the schema; no spec is returned then
     */
    @Override
    public InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index)
            throws PluginException {
        VanillaProperties flavor = VanillaProperties.decode(properties);

        List<String> lines = new ArrayList<>();
        if (!spec.init().isEmpty()) {
            lines.add(spec.init());
        }
        lines.addAll(flavor.init());
        String init = String.join("\n", lines);

        Map<String, String> tags = spec.tags();
        if (!flavor.tags().isEmpty()) {
            Map<String, String> merged = new TreeMap<>(Tags.UTF8_ORDER);
            if (spec.tags() != null) {
                merged.putAll(spec.tags());
            }
            merged.putAll(flavor.tags());
            tags = merged;
        }

        List<Attachment> attachments = spec.attachments();
        if (!flavor.attachments().isEmpty()) {
            List<Attachment> all = new ArrayList<>();
            if (spec.attachments() != null) {
                all.addAll(spec.attachments());
            }
            all.addAll(flavor.attachments());
            attachments = all;
        }

        return InstanceSpec.of(spec.properties(), tags, init, spec.logicalID(), attachments);
    }

    /** Always {@link Health#HEALTHY}: the vanilla flavor knows nothing that could say otherwise. */
    @Override
    public Health healthy(RawJson properties, InstanceDescription instance) {
        return Health.HEALTHY;
    }

    /** Nothing to do. */
    @Override
    public void drain(RawJson properties, InstanceDescription instance) {
        // the vanilla flavor leaves nothing behind that would need cleaning up
    }

    @Override
    public String toString() {
        return "VanillaFlavor";
    }
}
