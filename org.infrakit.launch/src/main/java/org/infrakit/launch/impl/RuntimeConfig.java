package org.infrakit.launch.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Optional configuration of the launcher itself, PID {@code org.infrakit.launch.runtime}. */
@ObjectClassDefinition(name = "InfraKit external plugin launcher", description = "Where external plugins "
        + "put their sockets, launch records and logs.")
public @interface RuntimeConfig {
    /** The configuration PID. */
    String PID = "org.infrakit.launch.runtime";

    @AttributeDefinition(description = "Plugins directory; empty: the framework property "
            + "infrakit.plugins.dir, else $INFRAKIT_PLUGINS_DIR, else <home>/plugins, where the home is the "
            + "framework property infrakit.home, else $INFRAKIT_HOME, else ~/.infrakit (not this configuration's "
            + "home). Must match the RPC bridge's", required = false)
    String plugins_dir() default "";

    @AttributeDefinition(description = "InfraKit home (launch records in launch/, detachable plugins' logs "
            + "in logs/); empty: the framework property infrakit.home, else $INFRAKIT_HOME, else ~/.infrakit",
            required = false)
    String home() default "";
}
