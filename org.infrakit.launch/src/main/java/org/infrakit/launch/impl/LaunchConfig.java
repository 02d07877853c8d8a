package org.infrakit.launch.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The descriptor of one external plugin: factory PID {@code org.infrakit.launch}, in practice a
 * file {@code deploy/org.infrakit.launch-<name>.cfg}. Property keys are the member names with
 * {@code _} read as {@code .} (the Declarative Services mapping): {@code start.timeout},
 * {@code max.restarts}, {@code restart.window}, {@code backoff.initial}, {@code backoff.max},
 * {@code stop.grace}. See the module's README for the file format.
 */
@ObjectClassDefinition(name = "InfraKit external plugin", description = "A program that serves an InfraKit "
        + "plugin on <plugins dir>/<name>, started and supervised by the runtime.")
public @interface LaunchConfig {
    /** The factory PID. */
    String PID = "org.infrakit.launch";

    @AttributeDefinition(description = "Plugin name: the file name of its socket in the plugins directory")
    String name();

    @AttributeDefinition(description = "Program and arguments. One value is split into words like a shell "
            + "would (quotes and backslashes), without expanding anything; several values are taken as they are")
    String[] command();

    @AttributeDefinition(description = "Working directory; empty: the runtime's working directory", required = false)
    String directory() default "";

    @AttributeDefinition(description = "Extra environment entries KEY=VALUE. One value is split like a shell "
            + "would; several values are taken as they are", required = false)
    String[] environment() default {};

    @AttributeDefinition(description = "How long the plugin may take to answer the handshake on its socket "
            + "(Go duration: 500ms, 10s, 1m)", required = false)
    String start_timeout() default "10s";

    @AttributeDefinition(description = "Restart budget: at most this many restarts within restart.window; "
            + "0 never restarts", min = "0", required = false)
    int max_restarts() default 5;

    @AttributeDefinition(description = "Restart budget: the sliding window of max.restarts (Go duration)",
            required = false)
    String restart_window() default "1m";

    @AttributeDefinition(description = "Delay before the first restart; doubled on each further failure "
            + "(Go duration)", required = false)
    String backoff_initial() default "500ms";

    @AttributeDefinition(description = "Longest delay between restarts (Go duration)", required = false)
    String backoff_max() default "30s";

    @AttributeDefinition(description = "Grace period between SIGTERM and SIGKILL when stopping (Go duration)",
            required = false)
    String stop_grace() default "5s";

    @AttributeDefinition(description = "Leave the process running when the runtime shuts down and adopt it "
            + "on the next start; its output goes to <home>/logs/<name>.log", required = false)
    boolean detachable() default false;
}
