package org.infrakit.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A flavor plugin: what runs on an instance. It adds init lines, tags and attachments to an
 * instance spec before it is provisioned, judges instances' health, and drains them before they
 * are destroyed. Interface {@code Flavor/0.1.0}.
 *
 * <p>Register an implementation as an OSGi service with {@value PluginProperties#NAME}, and
 * {@value PluginProperties#TYPE} for a typed object of a multi-type plugin. Methods may be called
 * concurrently. Every method reports failures as a {@link PluginException}.
 */
@ConsumerType
public interface FlavorPlugin {
    /** The interface and version this type stands for. */
    InterfaceSpec INTERFACE = InterfaceSpec.FLAVOR;

    /**
     * Checks a flavor configuration for a group allocation, without side effects.
     *
     * @param properties the flavor's own properties, {@code null} when absent
     * @param allocation the group's allocation (a flavor may require logical IDs, say)
     * @throws PluginException saying what is wrong
     */
    void validate(RawJson properties, Allocation allocation) throws PluginException;

    /**
     * Adjusts an instance spec before it is provisioned.
     *
     * @param properties the flavor's own properties, {@code null} when absent
     * @param spec the spec as the group prepared it
     * @param allocation the group's allocation
     * @param index which instance of which group this is
     * @return the complete spec to provision
     * @throws PluginException when the spec cannot be prepared; nothing is provisioned then
     */
    InstanceSpec prepare(RawJson properties, InstanceSpec spec, Allocation allocation, Index index)
            throws PluginException;

    /**
     * Judges an instance's health.
     *
     * @param properties the flavor's own properties, {@code null} when absent
     * @param instance the instance as its instance plugin describes it
     * @return its health; {@link Health#UNKNOWN} when it cannot tell yet
     * @throws PluginException when it cannot judge (callers treat that as unknown)
     */
    Health healthy(RawJson properties, InstanceDescription instance) throws PluginException;

    /**
     * Prepares an instance for destruction (best effort: it is destroyed even when this fails).
     *
     * @param properties the flavor's own properties, {@code null} when absent
     * @param instance the instance about to be destroyed
     * @throws PluginException when draining failed
     */
    void drain(RawJson properties, InstanceDescription instance) throws PluginException;
}
