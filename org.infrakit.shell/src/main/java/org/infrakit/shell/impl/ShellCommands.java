package org.infrakit.shell.impl;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.infrakit.shell.verbs.CommandLine;
import org.infrakit.shell.verbs.InputException;
import org.infrakit.shell.verbs.OutputFormat;
import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.PluginKind;
import org.infrakit.shell.verbs.PluginListing;
import org.infrakit.shell.verbs.PluginLookup;
import org.infrakit.shell.verbs.VerbResult;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gogo commands of scope {@code infrakit}: {@code plugins}, {@code group}, {@code instance}
 * and {@code flavor}. They hand their words to the shared {@link CommandLine}, print its output on
 * the command's standard output and a failure as one line on its standard error, and return
 * nothing, so that Gogo never prints a stack trace or a {@code gosh:} exception line.
 */
@Component(service = ShellCommands.class, property = {
        "osgi.command.scope=infrakit",
        "osgi.command.function=plugins",
        "osgi.command.function=group",
        "osgi.command.function=instance",
        "osgi.command.function=flavor"})
public final class ShellCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ShellCommands.class);

    /** This bundle's version, for {@code --version}. */
    private static final String VERSION = version();

    private final PluginLookup lookup;
    private final Supplier<List<PluginEntry>> plugins;

    /*
     * The bridge's and the launcher's status come through the shell's own service types, offered by
     * BridgeStatusSource and LauncherSource: this class never loads a class of those bundles, whose
     * packages the bundle imports optionally.
     */

    /** The RPC bridge's status: sockets served, imported and refused. Absent when the bridge does not run. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PluginSockets bridge;

    /** The external plugin processes. Absent when the launcher does not run. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PluginProcesses launcher;

    /** @param context our bundle's context: the service registry the plugins are found in */
    @Activate
    public ShellCommands(BundleContext context) {
        ServiceRegistryLookup registry = new ServiceRegistryLookup(context);
        this.lookup = registry;
        this.plugins = new PluginInventory(registry::entries, () -> bridge, () -> launcher)::entries;
    }

    /**
     * @param lookup finds plugins for the verbs
     * @param plugins lists the plugins for {@code plugins}
     */
    ShellCommands(PluginLookup lookup, Supplier<List<PluginEntry>> plugins) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
    }

    /**
     * {@code infrakit:plugins}.
     *
     * @param json print JSON
     * @param output the output format
     * @param quiet leave out the header line
     */
    @Descriptor("List every plugin the runtime knows, local and imported: name (name/type), interface/version, "
            + "socket path (- when not known) and origin (the bundle; 'imported' for a foreign process; 'external' "
            + "with state, pid, restarts and last exit for a process the launcher supervises); plus the sockets the "
            + "bridge did not import and the plugins it does not serve, with the reason in a PROBLEM column")
    public void plugins(
            @Descriptor("print JSON") @Parameter(names = {"-j", "--json"}, presentValue = "true",
                    absentValue = "false") boolean json,
            @Descriptor("output format: table or json") @Parameter(names = {"-o", "--output"},
                    absentValue = "table") String output,
            @Descriptor("leave out the header line") @Parameter(names = {"-q", "--quiet"}, presentValue = "true",
                    absentValue = "false") boolean quiet) {
        VerbResult result;
        try {
            OutputFormat format = json ? OutputFormat.JSON : OutputFormat.parse(output);
            result = PluginListing.plugins(plugins.get(), quiet, format);
        } catch (InputException e) {
            result = VerbResult.failure(VerbResult.USAGE, e.getMessage());
        }
        print(result);
    }

    /**
     * {@code infrakit:group}.
     *
     * @param session the Gogo session (for its working directory)
     * @param plugin the group plugin
     * @param args the verb, its arguments and options
     */
    @Descriptor("Group plugin verbs: commit FILE|JSON|- [--pretend], describe ID, inspect [ID], ls, free ID, "
            + "destroy ID. Every verb takes --json (or -o json), --help and --version; "
            + "'infrakit:group --help' lists the verbs. Quote inline JSON: '{\"ID\":\"cattle\",...}'")
    public void group(CommandSession session,
            @Descriptor("the group plugin (NAME; default: group)") @Parameter(names = "--plugin",
                    absentValue = "") String plugin,
            @Descriptor("VERB [ARGUMENTS] [OPTIONS]") String... args) {
        print(run(session, PluginKind.GROUP, plugin, args));
    }

    /**
     * {@code infrakit:instance}.
     *
     * @param session the Gogo session (for its working directory)
     * @param plugin the instance plugin
     * @param args the verb, its arguments and options
     */
    @Descriptor("Instance plugin verbs: validate FILE|JSON|-, provision FILE|JSON|-, "
            + "describe [--tags K=V,...] [--properties], label ID K=V..., destroy ID... "
            + "Every verb takes --json (or -o json), --help and --version; 'infrakit:instance --help' lists the "
            + "verbs. The older order 'instance NAME VERB' works too. Quote inline JSON: '{\"Note\":\"x\"}'")
    public void instance(CommandSession session,
            @Descriptor("the instance plugin (NAME[/TYPE]; default: instance-file)") @Parameter(names = "--plugin",
                    absentValue = "") String plugin,
            @Descriptor("VERB [ARGUMENTS] [OPTIONS]") String... args) {
        print(run(session, PluginKind.INSTANCE, plugin, args));
    }

    /**
     * {@code infrakit:flavor}.
     *
     * @param session the Gogo session (for its working directory)
     * @param plugin the flavor plugin
     * @param args the verb, its arguments and options
     */
    @Descriptor("Flavor plugin verbs: validate FILE|JSON|- [--size N|--logical-ids A,B], "
            + "prepare SPEC [--properties FILE|JSON] [--size N|--logical-ids A,B] [--index-group G] "
            + "[--index-sequence N], healthy ID... [--properties FILE|JSON] [--tags K=V] [--logical-id], "
            + "drain ID... (same options). Every verb takes --json (or -o json), --help and --version; "
            + "'infrakit:flavor --help' lists the verbs. The older order 'flavor NAME VERB' works too.")
    public void flavor(CommandSession session,
            @Descriptor("the flavor plugin (NAME[/TYPE]; default: flavor-vanilla)") @Parameter(names = "--plugin",
                    absentValue = "") String plugin,
            @Descriptor("VERB [ARGUMENTS] [OPTIONS]") String... args) {
        print(run(session, PluginKind.FLAVOR, plugin, args));
    }

    private VerbResult run(CommandSession session, PluginKind kind, String plugin, String... args) {
        List<String> words = new ArrayList<>();
        if (plugin != null && !plugin.isEmpty()) {
            words.add("--plugin");
            words.add(plugin);
        }
        words.addAll(Arrays.asList(args));
        return commandLine(session).run(kind, words, ref -> null);
    }

    private CommandLine commandLine(CommandSession session) {
        Path cwd = session == null ? null : session.currentDir();
        if (cwd == null) {
            cwd = Path.of(System.getProperty("user.dir", ".")).toAbsolutePath();
        }
        // System.in is the command's own standard input: Gogo redirects it per pipeline
        Supplier<InputStream> stdin = () -> System.in;
        return new CommandLine(lookup, cwd, stdin, VERSION);
    }

    private static String version() {
        org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(ShellCommands.class);
        return bundle == null ? "unknown" : bundle.getVersion().toString();
    }

    private static void print(VerbResult result) {
        // System.out/err are the command's streams: Gogo redirects them per pipeline and session
        System.out.print(result.output());
        System.out.flush();
        if (!result.ok()) {
            System.err.println(result.error());
            System.err.flush();
            if (result.cause() != null) {
                LOG.debug("infrakit command failed: {}", result.error(), result.cause());
            }
        }
    }
}
