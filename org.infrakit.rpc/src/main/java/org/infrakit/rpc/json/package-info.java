/**
 * The JSON codec of the protocol: Jackson configured to read and write exactly what the 2017
 * InfraKit plugins read and write (Go {@code encoding/json} semantics).
 *
 * <p>Reading is lenient where the reference is lenient (member names match case-insensitively,
 * unknown members are ignored) and strict where it is strict (a string is never coerced into a
 * number or the other way round). Writing follows the reference byte for byte: members in
 * declaration order, {@code null}s written out, maps sorted, and Go's string escapes
 * ({@code <}, {@code >}, {@code &} as <code>&#92;u003c</code> …, other control characters as lower-case
 * <code>&#92;u00xx</code>).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.infrakit.rpc.json;
