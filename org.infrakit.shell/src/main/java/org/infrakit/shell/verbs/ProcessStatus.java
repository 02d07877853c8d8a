package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The process behind a plugin that the runtime's launcher starts and supervises, as the plugin
 * listing shows it.
 *
 * @param state the launcher's state of the process: {@code STARTING}, {@code RUNNING},
 *     {@code RESTARTING}, {@code FAILED}, {@code ADOPTED} or {@code STOPPED}
 * @param pid the process id, {@code -1} when no process runs
 * @param restarts how often the launcher restarted it
 * @param lastExit the exit code of the last process that ended, {@code null} when none ended or it
 *     is unknown
 * @param lastError the last failure in words, {@code null} when none
 */
@JsonPropertyOrder({"State", "Pid", "Restarts", "LastExit", "LastError"})
public record ProcessStatus(
        @JsonProperty("State") String state,
        @JsonProperty("Pid") long pid,
        @JsonProperty("Restarts") int restarts,
        @JsonProperty("LastExit") Integer lastExit,
        @JsonProperty("LastError") String lastError) {

    /** Canonical constructor: a {@code null} state becomes {@code ""}. */
    public ProcessStatus {
        state = state == null ? "" : state;
    }

    /**
     * @return e.g. {@code RUNNING, pid 4242, restarts 1, last exit 137}: the state, the pid when a
     *     process runs, the restarts when there were any, the last exit code when known
     */
    public String summary() {
        List<String> parts = new ArrayList<>();
        parts.add(state.isEmpty() ? "unknown state" : state);
        if (pid >= 0) {
            parts.add("pid " + pid);
        }
        if (restarts > 0) {
            parts.add("restarts " + restarts);
        }
        if (lastExit != null) {
            parts.add("last exit " + lastExit);
        }
        return String.join(", ", parts);
    }
}
