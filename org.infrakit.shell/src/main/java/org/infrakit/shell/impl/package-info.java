/**
 * The Gogo commands (scope {@code infrakit}) and the plugin lookup over the OSGi service registry.
 * Private to the bundle. Only {@link org.infrakit.shell.impl.BridgeStatusSource} and
 * {@link org.infrakit.shell.impl.LauncherSource} use the bridge's and the launcher's packages,
 * which the bundle imports optionally.
 */
package org.infrakit.shell.impl;
