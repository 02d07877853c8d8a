package org.infrakit.flavor.vanilla.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one more vanilla flavor plugin: factory PID {@value #PID}, one plugin per
 * factory configuration, e.g. {@code deploy/org.infrakit.flavor.vanilla-french.cfg} with
 * {@code name=french-vanilla} (FileInstall reads the file name as
 * {@code <factory PID>-<configuration name>.cfg}, split at the first {@code -}).
 */
@ObjectClassDefinition(name = "InfraKit vanilla flavor", description = "One more vanilla flavor plugin under a "
        + "name of its own. The built-in flavor-vanilla is always there; a configuration that uses that name "
        + "takes its place while it exists.")
public @interface VanillaFlavorConfig {
    /** The factory PID. */
    String PID = "org.infrakit.flavor.vanilla";

    /** @return the plugin name: the socket's file name, a single path segment; required */
    @AttributeDefinition(description = "Plugin name: the name of its socket, one path segment (no '/'); "
            + "required: a configuration without it is refused")
    String name();
}
