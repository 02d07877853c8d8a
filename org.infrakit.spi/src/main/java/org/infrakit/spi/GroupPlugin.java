package org.infrakit.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A group plugin: keeps groups of instances in their committed state. Interface
 * {@code Group/0.1.0}.
 *
 * <p>Register an implementation as an OSGi service with {@value PluginProperties#NAME} (usually
 * {@code group}). Group plugins have no sub-types. Methods may be called concurrently. Every method
 * reports failures as a {@link PluginException} whose message is what the caller shows.
 */
@ConsumerType
public interface GroupPlugin {
    /** The interface and version this type stands for. */
    InterfaceSpec INTERFACE = InterfaceSpec.GROUP;

    /**
     * Makes a spec the desired state of its group, or with {@code pretend} only says what doing so
     * would do.
     *
     * @param spec the desired state; its ID names the group
     * @param pretend {@code true} for a dry run: validate and explain, change nothing
     * @return a human-readable account of the plan, e.g. {@code Managing 5 instances}
     * @throws PluginException when the spec is invalid or names plugins that cannot be found; the
     *     group is then left as it was
     */
    String commitGroup(GroupSpec spec, boolean pretend) throws PluginException;

    /**
     * Stops managing a group and forgets its spec, leaving its instances running.
     *
     * @param id the group's ID
     * @throws PluginException when the group is not managed
     */
    void freeGroup(String id) throws PluginException;

    /**
     * Describes a managed group as it is now.
     *
     * @param id the group's ID
     * @return its members and whether it has converged
     * @throws PluginException when the group is not managed, or its members cannot be listed
     */
    GroupDescription describeGroup(String id) throws PluginException;

    /**
     * Stops managing a group and destroys every one of its instances. Returns once they are gone.
     *
     * @param id the group's ID
     * @throws PluginException when the group is not managed, or its members cannot be listed
     */
    void destroyGroup(String id) throws PluginException;

    /**
     * Lists the specs of all managed groups.
     *
     * @return the specs, in no particular order; empty when there are none
     * @throws PluginException when the plugin cannot answer
     */
    List<GroupSpec> inspectGroups() throws PluginException;
}
