package org.infrakit.group.impl;

/**
 * Whether this runtime may correct a group now: consulted by every pass before it lists (listing may
 * relabel bootstrap members) and before each creation or destruction it starts. A pass that may not
 * act does nothing and tries again at the next poll interval. This is where cluster leadership is to
 * gate reconciliation; until then the gate is {@link #ALWAYS} open.
 *
 * <p>Calls of the group API itself (CommitGroup, DestroyGroup, …) are not gated.
 */
@FunctionalInterface
public interface ReconcileGate {
    /** The gate of a runtime that is alone: always open. */
    ReconcileGate ALWAYS = group -> true;

    /**
     * Must answer at once (no plugin call, no blocking): it is asked on the pass's thread.
     *
     * @param group the group's ID
     * @return whether the group may be corrected now
     */
    boolean mayAct(String group);
}
