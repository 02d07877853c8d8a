/**
 * Code shared by the plugin bundles ({@code org.infrakit.instance.file},
 * {@code org.infrakit.flavor.vanilla}): publishing plugin objects as services, one per name, and
 * reading the plugin name a factory configuration must give.
 *
 * <p>This package is not exported and its jar is never installed in a framework. Each plugin
 * bundle depends on it at build time only and copies it in with bnd's
 * {@code -conditionalpackage: org.infrakit.plugin.support}, so every bundle carries its own
 * private copy and gains no runtime dependency. For that reason the package keeps no state shared
 * between its users (no static fields other than loggers).
 */
package org.infrakit.plugin.support;
