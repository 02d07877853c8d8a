package org.infrakit.instance.file.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of one more file instance plugin: factory PID {@value #PID}, one plugin per
 * factory configuration, e.g. {@code deploy/org.infrakit.instance.file-another.cfg} with
 * {@code name=another-file} and {@code dir=another} (FileInstall reads the file name as
 * {@code <factory PID>-<configuration name>.cfg}, split at the first {@code -}).
 */
@ObjectClassDefinition(name = "InfraKit file instance plugin", description = "One more file instance plugin: "
        + "a name and the directory where it keeps one file per instance. The built-in instance-file "
        + "(<home>/instances) is always there; a configuration that uses that name takes its place "
        + "while it exists.")
public @interface FileInstanceConfig {
    /** The factory PID. */
    String PID = "org.infrakit.instance.file";

    /** @return the plugin name: the socket's file name, a single path segment; required */
    @AttributeDefinition(description = "Plugin name: the name of its socket, one path segment (no '/'); "
            + "required: a configuration without it is refused")
    String name();

    /** @return the directory; empty for {@code <home>/instances} */
    @AttributeDefinition(description = "Directory holding one file per instance; created when missing. Empty: "
            + "<home>/instances, where the home is the framework property infrakit.home, else $INFRAKIT_HOME, "
            + "else ~/.infrakit. A relative path is resolved against the runtime's working directory.")
    String dir() default "";
}
