package org.infrakit.spi;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An instance plugin: creates, labels, destroys and lists one kind of resource (a VM, a
 * container, a file). Interface {@code Instance/0.6.0}.
 *
 * <p>Register an implementation as an OSGi service with {@value PluginProperties#NAME}, and
 * {@value PluginProperties#TYPE} for a typed object of a multi-type plugin. Methods may be called
 * concurrently. Every method reports failures as a {@link PluginException}.
 */
@ConsumerType
public interface InstancePlugin {
    /** The interface and version this type stands for. */
    InterfaceSpec INTERFACE = InterfaceSpec.INSTANCE;

    /**
     * Checks an instance configuration without side effects.
     *
     * @param properties the plugin's own properties, {@code null} when absent
     * @throws PluginException saying what is wrong with them
     */
    void validate(RawJson properties) throws PluginException;

    /**
     * Creates one instance.
     *
     * @param spec what to create, including the tags it must carry
     * @return the new instance's ID; may be {@code null} for plugins that cannot tell
     * @throws PluginException when nothing could be created; a plugin must not leave a
     *     half-created instance behind when it throws
     */
    String provision(InstanceSpec spec) throws PluginException;

    /**
     * Adds or overwrites tags on an existing instance; tags not named are kept.
     *
     * @param instance the instance's ID
     * @param labels the tags to set
     * @throws PluginException when the instance does not exist or cannot be changed
     */
    void label(String instance, Map<String, String> labels) throws PluginException;

    /**
     * Destroys an instance.
     *
     * @param instance the instance's ID
     * @param context why: termination or replacement by a rolling update
     * @throws PluginException when the instance does not exist or cannot be destroyed
     */
    void destroy(String instance, DestroyContext context) throws PluginException;

    /**
     * Lists the instances that carry all the given tags.
     *
     * @param tags every pair must match; {@code null} or empty lists all instances
     * @param properties whether to fill in each description's plugin-defined properties
     * @return the matching instances; empty, never {@code null}, when none match
     * @throws PluginException when the instances cannot be listed
     */
    List<InstanceDescription> describeInstances(Map<String, String> tags, boolean properties)
            throws PluginException;
}
