package org.infrakit.shell.impl;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The Gogo command {@code infrakit:shutdown}: stops the runtime as Ctrl-D does, also from a remote
 * or scripted session. It stops the framework this bundle runs in; the runtime's launcher then
 * exits with 0 (in a program that embeds the framework, the program sees its framework stop).
 */
@Component(service = ShutdownCommand.class, property = {
        "osgi.command.scope=infrakit",
        "osgi.command.function=shutdown"})
public final class ShutdownCommand {
    /** What the command answers. */
    static final String STOPPING = "Stopping the InfraKit runtime";

    private final Bundle framework;

    /** @param context this bundle's context */
    @Activate
    public ShutdownCommand(BundleContext context) {
        this(context.getBundle(Constants.SYSTEM_BUNDLE_ID));
    }

    /** @param framework the system bundle to stop */
    ShutdownCommand(Bundle framework) {
        this.framework = framework;
    }

    /**
     * Stops the framework, asynchronously as OSGi specifies: every bundle stops, the plugin sockets
     * are removed, the external plugins this runtime launched are stopped.
     *
     * @return what happens
     * @throws BundleException when the framework refuses to stop
     */
    @Descriptor("Stop the InfraKit runtime: every bundle stops, the plugin sockets are removed, the external "
            + "plugins it launched are stopped, and the process exits with 0 (as Ctrl-D at the prompt)")
    public String shutdown() throws BundleException {
        framework.stop();
        return STOPPING;
    }
}
