package org.infrakit.shell.impl;

import java.util.List;

/**
 * The external plugin processes the launcher supervises, in the shell's own types. Registered by
 * {@link LauncherSource} only while the launcher runs, so that the shell itself never loads a
 * class of the launcher's bundle.
 */
public interface PluginProcesses {
    /** @return the supervised processes */
    List<Process> list();

    /** The state of a supervised process. */
    enum State {
        STARTING,
        RUNNING,
        RESTARTING,
        FAILED,
        ADOPTED,
        STOPPED
    }

    /**
     * A supervised process.
     *
     * @param name the plugin's name (the name of its socket)
     * @param state its state, or {@code null} when not known
     * @param pid its process id, -1 when none runs
     * @param restarts how often it was restarted
     * @param lastExitCode the code it last exited with, or {@code null}
     * @param lastError its last error, or {@code null}
     */
    record Process(String name, State state, long pid, int restarts, Integer lastExitCode, String lastError) {
    }
}
