package org.infrakit.reliability;

import org.infrakit.group.impl.GroupProperties;
import org.infrakit.group.impl.GroupSettings;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.PluginException;
import org.infrakit.spi.RawJson;

/** Group specs over the default plugins, and their configuration hash as the group plugin computes it. */
final class Specs {
    private Specs() {
    }

    /**
     * @param id the group ID
     * @param size how many instances
     * @param instancePlugin the instance plugin's name
     * @param version a value that changes the configuration (and so the hash) when it changes
     * @return the spec
     */
    static GroupSpec cattle(String id, long size, String instancePlugin, String version) {
        return new GroupSpec(id, RawJson.of("{\"Allocation\":{\"Size\":" + size + "},"
                + "\"Instance\":{\"Plugin\":\"" + instancePlugin + "\",\"Properties\":{\"version\":\"" + version + "\"}},"
                + "\"Flavor\":{\"Plugin\":\"" + PluginHost.FLAVOR + "\",\"Properties\":{\"Init\":[\"echo " + version
                + "\"],\"Tags\":{\"tier\":\"reliability\"}}}}"));
    }

    /** @param spec a spec @return the {@code infrakit.config_sha} its members carry */
    static String hash(GroupSpec spec) {
        try {
            return GroupSettings.of(spec.id(), GroupProperties.parse(spec.properties())).hash();
        } catch (PluginException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
