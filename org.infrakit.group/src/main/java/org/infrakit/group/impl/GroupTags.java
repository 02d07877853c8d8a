package org.infrakit.group.impl;

/**
 * The tags the group plugin owns on every instance it creates.
 */
public final class GroupTags {
    /** The group's ID: the one membership criterion. */
    public static final String GROUP = "infrakit.group";
    /** The configuration hash ({@link ConfigHash}) of the settings the instance was created with. */
    public static final String CONFIG_SHA = "infrakit.config_sha";
    /**
     * A {@value #CONFIG_SHA} value an operator sets on a hand-made instance so that the group adopts
     * it as up to date: the group relabels it with the current hash.
     */
    public static final String BOOTSTRAP = "bootstrap";

    private GroupTags() {
    }
}
