package org.infrakit.spi;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why an instance is destroyed: {@code {"Reason":"terminate"}}.
 *
 * @param reason {@value #TERMINATE} (scale-down, healing, destroying the group) or
 *     {@value #ROLLING_UPDATE} (replaced by a rolling update); {@code ""} when absent. Callers may
 *     also send the documented spelling {@value #TERMINATION}; see {@link #isTermination()}.
 */
public record DestroyContext(@JsonProperty("Reason") String reason) {
    /** The reason the reference and this runtime send for termination. */
    public static final String TERMINATE = "terminate";
    /** The reason as the 2017 documentation spelled it; accepted from callers. */
    public static final String TERMINATION = "termination";
    /** The reason for an instance replaced by a rolling update. */
    public static final String ROLLING_UPDATE = "rolling_update";

    /** {@code {"Reason":"terminate"}}. */
    public static final DestroyContext TERMINATING = new DestroyContext(TERMINATE);
    /** {@code {"Reason":"rolling_update"}}. */
    public static final DestroyContext ROLLING = new DestroyContext(ROLLING_UPDATE);

    /** Canonical constructor: a {@code null} reason becomes {@code ""}. */
    public DestroyContext {
        reason = reason == null ? "" : reason;
    }

    /** @return whether the reason is termination, in either spelling */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isTermination() {
        return TERMINATE.equals(reason) || TERMINATION.equals(reason);
    }
}
