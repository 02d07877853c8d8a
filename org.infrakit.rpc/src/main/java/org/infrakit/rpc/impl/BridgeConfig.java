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
            + "before it is closed, as a Go duration (30s, 500ms, 1m30s); at least 100ms; empty: 30s")
    String idle_timeout() default "";

    @AttributeDefinition(description = "How long a request may take to arrive whole, headers and body, from its "
            + "first byte, as a Go duration; a connection whose request is not whole by then is closed; at least 100ms; empty: 10s")
    String read_deadline() default "";

    @AttributeDefinition(description = "How many connections one plugin socket keeps open at once; past it, new "
            + "connections are closed as soon as they are accepted, with a warning")
    int max_connections() default 4_096;

    /** The call timeout when neither the configuration nor the environment sets one. */
    long DEFAULT_CALL_TIMEOUT_MS = 30_000;

    @AttributeDefinition(description = "Timeout of one call through an imported plugin's proxy, as a Go duration; "
            + "empty or 0s: INFRAKIT_CLIENT_TIMEOUT (a Go duration) if set, else 30s")
    String call_timeout() default "";

    @AttributeDefinition(description = "How long closing a socket waits for requests in flight, as a Go duration; empty: 5s")
    String stop_timeout() default "";

    @AttributeDefinition(description = "Timeout of each handshake call when the plugins directory is scanned, "
            + "as a Go duration; a socket that does not answer within it is not (or no longer) imported; at least 100ms; empty: 2s")
    String probe_timeout() default "";

    @AttributeDefinition(description = "Whether to import foreign sockets found in the plugins directory")
    boolean import_enabled() default true;

    @AttributeDefinition(description = "How often the plugins directory is rescanned, as a Go duration "
            + "(besides file-system events); at least 50ms; empty: 1s")
    String scan_interval() default "";

    @AttributeDefinition(description = "Deprecated: write idle.timeout (a Go duration); in milliseconds, ignored "
            + "when idle.timeout is given")
    long idle_timeout_ms() default DurationKey.NOT_GIVEN;

    @AttributeDefinition(description = "Deprecated: write read.deadline (a Go duration); in milliseconds, ignored "
            + "when read.deadline is given")
    long read_deadline_ms() default DurationKey.NOT_GIVEN;

    @AttributeDefinition(description = "Deprecated: write call.timeout (a Go duration); in milliseconds, ignored "
            + "when call.timeout is given")
    long call_timeout_ms() default DurationKey.NOT_GIVEN;

    @AttributeDefinition(description = "Deprecated: write stop.timeout (a Go duration); in milliseconds, ignored "
            + "when stop.timeout is given")
    long stop_timeout_ms() default DurationKey.NOT_GIVEN;

    @AttributeDefinition(description = "Deprecated: write probe.timeout (a Go duration); in milliseconds, ignored "
            + "when probe.timeout is given")
    long probe_timeout_ms() default DurationKey.NOT_GIVEN;

    @AttributeDefinition(description = "Deprecated: write scan.interval (a Go duration); in milliseconds, ignored "
            + "when scan.interval is given")
    long scan_interval_ms() default DurationKey.NOT_GIVEN;
}
