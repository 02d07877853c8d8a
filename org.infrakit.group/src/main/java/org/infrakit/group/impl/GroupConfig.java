package org.infrakit.group.impl;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the group plugin, PID {@value #PID}. As configuration properties (e.g. in
 * {@code org.infrakit.group.cfg}) the attributes are spelled with dots, as Declarative Services
 * maps them: {@code poll.interval}, {@code update.poll.interval}, {@code parallelism},
 * {@code max.group.size}, {@code state.dir}. An invalid value stops the component from activating, with the reason logged.
 */
@ObjectClassDefinition(name = "InfraKit group plugin", description = "The default group plugin: keeps groups of "
        + "instances at their committed size and configuration.")
public @interface GroupConfig {
    /** The configuration PID. */
    String PID = "org.infrakit.group";

    @AttributeDefinition(description = "How often each group is checked and corrected, as a Go duration "
            + "(10s, 500ms, 1m30s); must be greater than zero")
    String poll_interval() default "10s";

    @AttributeDefinition(description = "How often health is checked while a rolling update waits for a "
            + "replacement to become healthy, as a Go duration; must be greater than zero")
    String update_poll_interval() default "200ms";

    @AttributeDefinition(description = "How many instances of one group are created or destroyed at the same time")
    int parallelism() default EngineOptions.DEFAULT_PARALLELISM;

    @AttributeDefinition(description = "The most instances one group may have: a commit asking for more is refused")
    int max_group_size() default EngineOptions.DEFAULT_MAX_GROUP_SIZE;

    @AttributeDefinition(description = "Directory of the committed group specs; empty: <home>/groups, where "
            + "the home is the framework property infrakit.home, else $INFRAKIT_HOME, else ~/.infrakit")
    String state_dir() default "";
}
