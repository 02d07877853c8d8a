/**
 * The user verbs of InfraKit, one implementation for every front end: the Gogo commands of the
 * runtime and the {@code infrakit} command-line client.
 *
 * <p>The classes here know no framework and no transport. A front end supplies a
 * {@link org.infrakit.shell.verbs.PluginLookup} (OSGi services, or socket proxies), hands the words
 * a user typed to {@link org.infrakit.shell.verbs.CommandLine#run} (one picocli command tree:
 * {@code group|instance|flavor [--plugin NAME] VERB ...}, {@code plugin ls}; the same help, errors,
 * {@code --version} and generated completion in every front end), prints the
 * {@link org.infrakit.shell.verbs.VerbResult}'s output to standard output and its error line to
 * standard error, and exits with its exit code. {@link org.infrakit.shell.verbs.GroupVerbs},
 * {@link org.infrakit.shell.verbs.InstanceVerbs} and {@link org.infrakit.shell.verbs.FlavorVerbs}
 * are the same verbs with typed arguments, for callers that already hold the values.
 *
 * <h2>Output</h2>
 * By default a verb prints what the 2017 CLI printed ({@code Committed cattle: Managing 5
 * instances}, the {@code ID LOGICAL TAGS} table, {@code validate:ok}, …); documents (group specs,
 * prepared instance specs) are printed as indented JSON. With {@code -o json} or {@code --json}
 * it prints exactly one line of compact JSON, in the wire protocol's spelling (member names,
 * order, {@code null}s and string escapes as a 2017 plugin writes them):
 * <table>
 * <caption>JSON output per verb</caption>
 * <tr><th>verb</th><th>JSON</th></tr>
 * <tr><td>group commit</td><td>{@code {"ID":"cattle","Pretend":false,"Details":"Managing 5 instances"}}</td></tr>
 * <tr><td>group describe</td><td>the group description {@code {"Instances":[…],"Converged":true}}</td></tr>
 * <tr><td>group inspect</td><td>an array of group specs; with an ID that one spec</td></tr>
 * <tr><td>group ls</td><td>an array of group IDs</td></tr>
 * <tr><td>group free, destroy</td><td>{@code {"ID":"cattle","OK":true}}</td></tr>
 * <tr><td>instance validate</td><td>{@code {"OK":true}}</td></tr>
 * <tr><td>instance provision</td><td>{@code {"ID":"instance-1"}}</td></tr>
 * <tr><td>instance describe</td><td>an array of instance descriptions</td></tr>
 * <tr><td>instance label</td><td>{@code {"ID":"instance-1","OK":true}}</td></tr>
 * <tr><td>instance destroy</td><td>an array of {@code {"ID":"instance-1","OK":true}}</td></tr>
 * <tr><td>flavor validate</td><td>{@code {"OK":true}}</td></tr>
 * <tr><td>flavor prepare</td><td>the prepared instance spec</td></tr>
 * <tr><td>flavor healthy</td><td>an array of {@code {"ID":"instance-1","Health":1}}</td></tr>
 * <tr><td>flavor drain</td><td>an array of {@code {"ID":"instance-1","OK":true}}</td></tr>
 * <tr><td>plugins, plugin ls</td><td>an array of {@link org.infrakit.shell.verbs.PluginEntry} objects
 * {@code {"Name":…,"Type":…,"Interface":…,"Socket":…,"Origin":…,"Imported":…,"Problem":…}}, with
 * {@code "Process":{"State":…,"Pid":…,"Restarts":…,"LastExit":…,"LastError":…}} for a process the
 * runtime's launcher supervises</td></tr>
 * </table>
 *
 * <h2>Failures</h2>
 * Every failure is one line (never a stack trace) and an exit code: {@code 1} when the plugin
 * reported an error (its message, unchanged, e.g. {@code Group 'nope' is not being watched}),
 * {@code 2} for bad usage or input ({@code cattle.json: no such file}), {@code 3} when the plugin
 * does not exist ({@code no Instance plugin named 'x' (known: instance-file)}) or cannot be reached
 * ({@code Group plugin 'group' is unavailable: …}). Verbs over several instances stop at the first
 * failure and still print what they did before it (in JSON, the array of the items done).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.infrakit.shell.verbs;
