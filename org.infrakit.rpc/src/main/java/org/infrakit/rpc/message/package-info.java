/**
 * The params and result objects of every JSON-RPC method of the protocol, one record per request
 * and reply struct of the reference, with exactly its JSON form.
 *
 * <p>Absent members decode to the reference's zero values ({@code ""}, {@code false}, {@code 0},
 * an empty struct), except where the reference has a pointer, map or slice, which stays
 * {@code null}. Used by the RPC bridge on both sides of a socket, and by command-line clients.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.infrakit.rpc.message;
