package org.infrakit.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type that names a plugin service: annotate a DS component with
 * {@code @PluginName("flavor-vanilla")} and the service carries
 * {@value PluginProperties#NAME}{@code =flavor-vanilla}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface PluginName {
    /** Prefix that turns the derived name {@code plugin.name} into {@value PluginProperties#NAME}. */
    String PREFIX_ = "infrakit.";

    /** @return the plugin name; the socket file's name */
    String value();
}
