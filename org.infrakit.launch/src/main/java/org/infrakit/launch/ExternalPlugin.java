package org.infrakit.launch;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one external plugin process.
 *
 * @param name the plugin name: the file name of its socket in the plugins directory
 * @param state where the process is in its life cycle
 * @param pid the operating-system process id of the current process, or {@code -1} when none runs
 * @param restarts how many times the launcher has restarted it since it was declared
 * @param lastExitCode the exit code of the last process that ended, or {@code null} when none ended
 *     yet or the code is unknown (an adopted process is not our child, its code cannot be read);
 *     128+n means it was killed by signal n
 * @param lastExitTime when the last process ended, or {@code null}
 * @param lastError the last failure, in words a person understands, or {@code null}
 * @param detachable whether the process is left running when the runtime shuts down
 * @param command the program and its arguments
 */
public record ExternalPlugin(String name, State state, long pid, int restarts, Integer lastExitCode,
        Instant lastExitTime, String lastError, boolean detachable, List<String> command) {

    /** Canonical constructor: the command is copied. */
    public ExternalPlugin {
        command = command == null ? List.of() : List.copyOf(command);
    }

    /** The life-cycle states of an external plugin process. */
    public enum State {
        /** Launched; waiting until its socket answers the handshake. */
        STARTING,
        /** Launched by this runtime and answering on its socket. */
        RUNNING,
        /** Died; waiting out the back-off before it is started again. */
        RESTARTING,
        /** Down for good: the restart budget is spent or it could not be started at all. */
        FAILED,
        /** Left running by a previous runtime (detachable) and taken over by this one. */
        ADOPTED,
        /** Stopped on request. */
        STOPPED
    }
}
