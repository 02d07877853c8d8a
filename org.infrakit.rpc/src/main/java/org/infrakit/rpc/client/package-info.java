/**
 * The client side of the plugin protocol: JSON-RPC 2.0 over HTTP/1.1 on a unix socket, with JDK
 * sockets only (no Jetty, no native code), so that a plain Java program can talk to plugins.
 *
 * <p>{@link org.infrakit.rpc.client.JsonRpcClient} makes the calls to one socket;
 * {@link org.infrakit.rpc.client.PluginHandshake} asks a socket what it implements (both handshake
 * generations); {@link org.infrakit.rpc.client.SocketProbe} tells a live socket from a stale one;
 * {@link org.infrakit.rpc.client.GroupPluginProxy}, {@link org.infrakit.rpc.client.InstancePluginProxy}
 * and {@link org.infrakit.rpc.client.FlavorPluginProxy} are the SPI interfaces over a client. The
 * runtime's importer uses them to turn foreign sockets into services, the {@code infrakit}
 * command-line client to talk to sockets directly, and the launcher to wait for the plugins it
 * starts.
 *
 * <p>Errors: a JSON-RPC error answered by the plugin arrives as a
 * {@link org.infrakit.spi.PluginException} (through a proxy) or a
 * {@link org.infrakit.rpc.client.RemoteError} (through the client); anything that keeps a call from
 * completing as an {@link org.osgi.framework.ServiceException} of type {@code REMOTE}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package org.infrakit.rpc.client;
