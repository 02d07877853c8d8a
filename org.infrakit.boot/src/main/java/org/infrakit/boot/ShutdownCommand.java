package org.infrakit.boot;

import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * The Gogo command {@code shutdown} (scope {@value #SCOPE}): stops the runtime as Ctrl-D does, also
 * from a remote or scripted session. Gogo calls the public method by reflection, so the class
 * needs no Gogo types.
 */
public final class ShutdownCommand {
    /** The command scope. */
    static final String SCOPE = "infrakit";
    /** The command name. */
    static final String FUNCTION = "shutdown";

    private final Framework framework;

    ShutdownCommand(Framework framework) {
        this.framework = framework;
    }

    /**
     * Stops the framework: every bundle is stopped, sockets are removed, then the JVM exits with 0.
     *
     * @return what happens
     * @throws BundleException when the framework cannot be stopped
     */
    public String shutdown() throws BundleException {
        framework.stop();
        return "Stopping the InfraKit runtime";
    }
}
