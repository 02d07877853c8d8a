package org.infrakit.reliability;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies every property's number of tries by {@code -Dreliability.scale}. Registered on a
 * container with {@code propagateTo = ALL_DESCENDANTS}, so that it reaches the properties.
 */
public final class ScaledTries implements AroundPropertyHook {
    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        // examples (one try) stay examples; they scale their own sizes where that means something
        context.attributes().tries().filter(t -> t > 1).ifPresent(t -> context.attributes().setTries(Scale.times(t)));
        return property.execute();
    }
}
