/**
 * The conformance kit: checks a live plugin socket, written in any language, against the plugin
 * protocol (handshake, JSON-RPC envelope, HTTP rules, error codes) and against every method of the
 * interfaces the plugin declares, with the protocol's golden vectors and behavioural checks.
 *
 * <p>{@link org.infrakit.conformance.Conformance#check} runs the checks and returns a
 * {@link org.infrakit.conformance.Report}: one {@link org.infrakit.conformance.CheckResult} per
 * check, as text (one line per check, then {@code N passed, M failed}) or as JSON.
 * {@link org.infrakit.conformance.ConformanceArgs} parses the command line that the
 * {@code infrakit conformance} client command and the Gogo command {@code infrakit:conformance}
 * share.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.infrakit.conformance;
