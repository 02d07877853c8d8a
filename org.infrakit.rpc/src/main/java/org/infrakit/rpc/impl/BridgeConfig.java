package org.infrakit.rpc.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the RPC bridge, PID {@code org.infrakit.rpc}. */
@ObjectClassDefinition(name = "InfraKit RPC bridge", description = "Serves plugin services on unix sockets "
        + "and imports foreign plugin sockets as services.")
public @interface BridgeConfig {
    /** The configuration PID. */
    String PID = "org.infrakit.rpc";

    @AttributeDefinition(description = "Plugins directory; empty: the framework property "
            + "infrakit.plugins.dir, else $INFRAKIT_PLUGINS_DIR, else <home>/plugins, the home being the framework "
            + "property infrakit.home, else $INFRAKIT_HOME, else ~/.infrakit")
    String plugins_dir() default "";

    /** The framework (or system) property giving the log level when the configuration sets none. */
    String LOG_LEVEL_PROPERTY = "infrakit.log.level";

    /** The log level when neither the configuration nor {@value #LOG_LEVEL_PROPERTY} sets one. */
    int DEFAULT_LOG_LEVEL = 4;

    @AttributeDefinition(description = "Log level of the bridge, as the reference's --log: 0 panic .. 5 debug; "
            + "at 5 every request and response is logged. -1: the framework property infrakit.log.level "
            + "(bin/infrakit-runtime --log N sets it), else 4")
    int log_level() default -1;

    @AttributeDefinition(description = "Largest request body accepted, in bytes; larger ones get HTTP 413")
    long max_body_bytes() default 4L * 1024 * 1024;

    @AttributeDefinition(description = "How long a connection may stay silent, also in the middle of a request, "
            + "before it is closed, in milliseconds")
    long idle_timeout_ms() default 30_000;

    @AttributeDefinition(description = "How long a request may take to arrive whole, headers and body, from its "
            + "first byte, in milliseconds; a connection whose request is not whole by then is closed")
    long read_deadline_ms() default 10_000;

    @AttributeDefinition(description = "How many connections one plugin socket keeps open at once; past it, new "
            + "connections are closed as soon as they are accepted, with a warning")
    int max_connections() default 4_096;

    /** The call timeout when neither the configuration nor the environment sets one. */
    long DEFAULT_CALL_TIMEOUT_MS = 30_000;

    @AttributeDefinition(description = "Timeout of one call through an imported plugin's proxy, in milliseconds; "
            + "0: INFRAKIT_CLIENT_TIMEOUT (a Go duration such as 30s) if set, else 30000")
    long call_timeout_ms() default 0;

    @AttributeDefinition(description = "How long closing a socket waits for requests in flight, in milliseconds")
    long stop_timeout_ms() default 5_000;

    @AttributeDefinition(description = "Timeout of each handshake call when the plugins directory is scanned, "
            + "in milliseconds; a socket that does not answer within it is not (or no longer) imported")
    long probe_timeout_ms() default 2_000;

    @AttributeDefinition(description = "Whether to import foreign sockets found in the plugins directory")
    boolean import_enabled() default true;

    @AttributeDefinition(description = "How often the plugins directory is rescanned, in milliseconds "
            + "(besides file-system events)")
    long scan_interval_ms() default 1_000;
}
