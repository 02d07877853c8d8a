/**
 * The Gogo commands (scope {@code infrakit}) and the plugin lookup over the OSGi service registry.
 * Private to the bundle.
 */
package org.infrakit.shell.impl;
