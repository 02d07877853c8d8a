package org.infrakit.example.flavor;

import java.util.Map;
import java.util.TreeMap;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.FlavorPlugin;
import org.infrakit.spi.Health;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginName;
import org.infrakit.spi.RawJson;
import org.osgi.service.component.annotations.Component;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An example flavor plugin, {@code flavor-example}: every instance it prepares carries the tag
 * {@value #TAG}{@code =flavor-example} and gets one more line in its init script, an {@code echo}
 * of a greeting. The greeting comes from the flavor's properties in the group spec
 * ({@code "Flavor": {"Plugin": "flavor-example", "Properties": {"Greeting": "hi"}}}), else
 * {@value #DEFAULT_GREETING}.
 *
 * <p>That is the whole plugin: a Declarative Services component providing {@link FlavorPlugin},
 * named by {@link PluginName}. The runtime's RPC bridge serves it on the socket
 * {@code plugins/flavor-example} as soon as the bundle starts, and removes the socket when it stops.
 */
@Component(service = FlavorPlugin.class)
@PluginName(ExampleFlavor.NAME)
public final class ExampleFlavor implements FlavorPlugin {
    /** The plugin name: the socket's file name. */
    public static final String NAME = "flavor-example";
    /** The tag every prepared instance carries, with the value {@value #NAME}. */
    public static final String TAG = "example.flavor";
    /** The greeting when the properties give none. */
    public static final String DEFAULT_GREETING = "hello from flavor-example";

    /**
     * The flavor's properties in a group spec.
     *
     * @param greeting what the init line echoes; one line
     */
    record Settings(@JsonProperty("Greeting") String greeting) {
    }

    @Override
    public void validate(RawJson properties, Allocation allocation) throws PluginException {
        settings(properties);
    }

    @Override
    public InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index)
            throws PluginException {
        String greeting = greeting(settings(properties));
        Map<String, String> tags = new TreeMap<>();
        if (spec.tags() != null) {
            tags.putAll(spec.tags());
        }
        tags.put(TAG, NAME);
        String line = "echo " + shellQuote(greeting);
        String init = spec.init().isEmpty() ? line : spec.init() + "\n" + line;
        return InstanceSpec.of(spec.properties(), tags, init, spec.logicalID(), spec.attachments());
    }

    @Override
    public Health healthy(RawJson properties, InstanceDescription instance) {
        return Health.HEALTHY;
    }

    @Override
    public void drain(RawJson properties, InstanceDescription instance) {
        // nothing to drain
    }

    private static Settings settings(RawJson properties) throws PluginException {
        if (properties == null || properties.json().equals("null")) {
            return new Settings(null);
        }
        Settings settings = properties.decode(Settings.class);
        if (settings.greeting() != null && (settings.greeting().contains("\n") || settings.greeting().contains("\r"))) {
            throw new PluginException("Greeting must be one line");
        }
        return settings;
    }

    private static String greeting(Settings settings) {
        return settings.greeting() == null || settings.greeting().isBlank() ? DEFAULT_GREETING : settings.greeting();
    }

    /** @return the text as one single-quoted POSIX shell word */
    static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
