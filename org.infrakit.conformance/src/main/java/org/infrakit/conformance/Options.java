package org.infrakit.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * How a plugin is checked.
 *
 * @param profile whose wire rules apply
 * @param allowWrites whether checks that commit and destroy a group may run on a group plugin that
 *     already manages groups (they never touch those groups, but they share the plugin with them)
 * @param instancePlugin the instance plugin, in the same plugins directory, that a group written by
 *     the group checks uses
 * @param flavorPlugin the flavor plugin that group uses
 * @param callTimeout the deadline of every call
 * @param convergeTimeout how long a committed group may take to converge, and to be gone once destroyed
 */
public record Options(Profile profile, boolean allowWrites, String instancePlugin, String flavorPlugin,
        Duration callTimeout, Duration convergeTimeout) {
    /** The default profile, no writes to a busy group plugin, {@code instance-file} and {@code flavor-vanilla}. */
    public static final Options DEFAULTS = new Options(Profile.INFRAKIT, false, "instance-file", "flavor-vanilla",
            Duration.ofSeconds(10), Duration.ofSeconds(60));

    /** Canonical constructor: everything is required. */
    public Options {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(instancePlugin, "instancePlugin");
        Objects.requireNonNull(flavorPlugin, "flavorPlugin");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(convergeTimeout, "convergeTimeout");
    }

    /** @param p the profile @return these options with that profile */
    public Options withProfile(Profile p) {
        return new Options(p, allowWrites, instancePlugin, flavorPlugin, callTimeout, convergeTimeout);
    }

    /** @param allow whether writes to a busy group plugin are allowed @return these options with that */
    public Options withAllowWrites(boolean allow) {
        return new Options(profile, allow, instancePlugin, flavorPlugin, callTimeout, convergeTimeout);
    }

    /** @param instance the instance plugin @param flavor the flavor plugin @return these options with those */
    public Options withGroupPlugins(String instance, String flavor) {
        return new Options(profile, allowWrites, instance, flavor, callTimeout, convergeTimeout);
    }
}
