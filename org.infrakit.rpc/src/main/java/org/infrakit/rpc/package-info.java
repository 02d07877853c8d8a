/**
 * What the RPC bridge is doing: the plugin sockets it serves for local plugin services, and the
 * foreign sockets it imported as services or could not import, with the reasons. Shell commands
 * and health checks consume {@link org.infrakit.rpc.BridgeStatus}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.infrakit.rpc;
