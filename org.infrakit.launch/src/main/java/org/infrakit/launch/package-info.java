/**
 * Status of the external plugin processes the runtime launches and supervises.
 *
 * <p>An external plugin is a program that is not a bundle (a Go InfraKit binary, a script) and
 * serves the InfraKit JSON-RPC protocol on the unix socket {@code <plugins dir>/<name>}. The
 * launcher starts it from a descriptor in the deploy folder (factory configuration
 * {@code org.infrakit.launch}), waits until its socket answers the handshake, restarts it when it
 * dies and mirrors its output into the runtime's log. The RPC bridge's importer, not the launcher,
 * turns the socket into plugin services.
 *
 * <p>{@link org.infrakit.launch.ExternalPlugins} is the service to ask what is running.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.infrakit.launch;
