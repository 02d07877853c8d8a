package org.infrakit.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for the sub-type of an instance or flavor plugin service:
 * {@code @PluginType("ec2-volume")} sets {@value PluginProperties#TYPE}{@code =ec2-volume}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PluginType {
    /** Prefix that turns the derived name {@code plugin.type} into {@value PluginProperties#TYPE}. */
    String PREFIX_ = "infrakit.";

    /** @return the sub-type name */
    String value();
}
