package org.infrakit.shell.verbs;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;

import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command tree of the verbs, parsed by picocli: {@code group}, {@code instance} and
 * {@code flavor}, each {@code [--plugin NAME] VERB [ARGUMENTS] [OPTIONS]}, and {@code plugin ls}.
 * Both front ends (the Gogo commands and the command-line client) hand their words to this class,
 * so a verb parses, behaves, helps and fails the same in both, and the client's bash completion is
 * generated from the same tree ({@link #tree}).
 *
 * <p>Options may come anywhere among the arguments. Every verb takes {@code -o table|json} (or
 * {@code --json}), {@code -h|--help} and {@code -V|--version}. A JSON argument is inline JSON when
 * it starts with <code>{</code> or {@code [}, standard input when it is {@code -}, and a file path
 * otherwise (see {@link JsonInput}). The first word may also be {@code help} (the list of verbs) or
 * {@code help VERB}. The older order {@code KIND NAME VERB} is still accepted: a first word that is
 * neither an option nor a verb is the plugin's name.
 *
 * <p>Never throws for anything a user can type: every problem is a {@link VerbResult} with one
 * error line and an exit code.
 */
public final class CommandLine {
    /** The plugin each kind talks to unless {@code --plugin} names another. */
    public static final Map<PluginKind, String> DEFAULT_PLUGINS = Map.of(PluginKind.GROUP, "group",
            PluginKind.INSTANCE, "instance-file", PluginKind.FLAVOR, "flavor-vanilla");

    private final GroupVerbs groups;
    private final InstanceVerbs instances;
    private final FlavorVerbs flavors;
    private final JsonInput input;
    private final String version;
    private final Map<PluginKind, Map<String, Verb>> verbs = new EnumMap<>(PluginKind.class);

    /**
     * @param lookup finds plugins
     * @param workingDir the directory relative file paths are resolved against
     * @param stdin standard input, read only for the argument {@code -}
     */
    public CommandLine(PluginLookup lookup, Path workingDir, Supplier<InputStream> stdin) {
        this(lookup, workingDir, stdin, "unknown");
    }

    /**
     * @param lookup finds plugins
     * @param workingDir the directory relative file paths are resolved against
     * @param stdin standard input, read only for the argument {@code -}
     * @param version what {@code --version} prints after the command's name
     */
    public CommandLine(PluginLookup lookup, Path workingDir, Supplier<InputStream> stdin, String version) {
        this.groups = new GroupVerbs(lookup);
        this.instances = new InstanceVerbs(lookup);
        this.flavors = new FlavorVerbs(lookup);
        this.input = new JsonInput(workingDir, stdin);
        this.version = Objects.requireNonNull(version, "version");
        define();
    }

    /**
     * Runs one verb line of a plugin named outside the words (the client's {@code infrakit NAME VERB}).
     *
     * @param kind the kind of plugin
     * @param plugin the plugin ({@code group}, {@code instance-file}, {@code instance-aws/ec2})
     * @param words the verb and its arguments and options
     * @return the result; never {@code null}
     */
    public VerbResult run(PluginKind kind, PluginRef plugin, List<String> words) {
        Objects.requireNonNull(plugin, "plugin");
        return execute(kind, plugin, words, ref -> null);
    }

    /**
     * Runs one command line of a kind: {@code [--plugin NAME] VERB [ARGUMENTS] [OPTIONS]}, or the
     * older {@code NAME VERB ...}; without a name the kind's {@link #DEFAULT_PLUGINS default}.
     *
     * @param kind the kind of plugin
     * @param words the words after the kind's command
     * @param reach called with the plugin once the line parsed and before the verb runs: a failure
     *     to stop with (for example, no such socket), or {@code null} to go on
     * @return the result; never {@code null}
     */
    public VerbResult run(PluginKind kind, List<String> words, Function<PluginRef, VerbResult> reach) {
        return execute(kind, null, words, Objects.requireNonNull(reach, "reach"));
    }

    private VerbResult execute(PluginKind kind, PluginRef fixed, List<String> words,
            Function<PluginRef, VerbResult> reach) {
        Objects.requireNonNull(kind, "kind");
        // a shell variable that is not set arrives as null
        List<String> w = new ArrayList<>(words.stream().map(x -> x == null ? "" : x).toList());
        Map<String, Verb> table = verbs.get(kind);
        if (fixed == null && w.size() > 1 && !w.get(0).startsWith("-") && !w.get(0).equals("help")
                && !table.containsKey(w.get(0))
                && (table.containsKey(w.get(1)) || List.of("help", "-h", "--help").contains(w.get(1)))) {
            // the older order: KIND NAME VERB
            w.add(0, "--plugin");
        }
        int first = w.size() > 1 && w.get(0).equals("--plugin") ? 2
                : !w.isEmpty() && w.get(0).startsWith("--plugin=") ? 1 : 0;
        if (w.size() > first && w.get(first).equals("help")) {
            // help [VERB]: the same as [VERB] --help
            w.remove(first);
            w.add(Math.min(w.size(), first + 1), "--help");
        }
        picocli.CommandLine tree = kindTree(kind);
        OptionSpec pluginOption = tree.getCommandSpec().findOption("--plugin");
        ParseResult parsed;
        try {
            parsed = tree.parseArgs(w.toArray(String[]::new));
        } catch (ParameterException e) {
            String name = fixed != null ? fixed.toString() : pluginOption.getValue();
            return new VerbResult(VerbResult.USAGE, "", problem(e, kind, name == null ? DEFAULT_PLUGINS.get(kind)
                    : name, w), e);
        }
        String name = fixed != null ? fixed.toString() : parsed.matchedOptionValue("--plugin", DEFAULT_PLUGINS.get(kind));
        ParseResult sub = parsed.subcommand();
        if (parsed.isVersionHelpRequested() || (sub != null && sub.isVersionHelpRequested())) {
            return VerbResult.success(versionLine(kind.title().toLowerCase(java.util.Locale.ROOT)));
        }
        PluginRef ref = PluginRef.parse(name);
        if (parsed.isUsageHelpRequested() || sub == null) {
            String help = help(kind, ref);
            return parsed.isUsageHelpRequested() ? VerbResult.success(help)
                    : new VerbResult(VerbResult.USAGE, help, "missing verb (one of "
                            + String.join(", ", table.keySet()) + ")", null);
        }
        Verb verb = table.get(sub.commandSpec().name());
        if (sub.isUsageHelpRequested()) {
            return VerbResult.success(usage(sub.commandSpec().commandLine()));
        }
        String problem = PluginRef.nameProblem(ref.name());
        if (problem != null) {
            return VerbResult.failure(VerbResult.USAGE, problem);
        }
        VerbResult unreachable = reach.apply(ref);
        if (unreachable != null) {
            return unreachable;
        }
        try {
            return verb.action().run(ref, new Words(sub), format(sub));
        } catch (InputException e) {
            return new VerbResult(VerbResult.USAGE, "", e.getMessage(), e);
        } catch (RuntimeException e) {
            // a defect here, not in the plugin (Invocation catches those): still one line for the user
            return new VerbResult(VerbResult.FAILED, "", verb.name() + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** The one error line for a line picocli rejected, in the words of the verb. */
    private String problem(ParameterException e, PluginKind kind, String plugin, List<String> words) {
        CommandSpec failed = e.getCommandLine().getCommandSpec();
        Verb verb = verbs.get(kind).get(failed.name());
        boolean atVerb = verb != null && failed.parent() != null;
        String prefix = atVerb ? verb.name() + ": " : failed.parent() == null && failed.name().equals("ls")
                ? "ls: " : "";
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            if (!atVerb && !prefix.equals("ls: ") && !word.startsWith("-")) {
                return "unknown verb '" + word + "' for " + kind.title() + " plugin '" + plugin + "' (verbs: "
                        + String.join(", ", verbs.get(kind).keySet()) + ")";
            }
            if (word.startsWith("-") && word.length() > 1) {
                int eq = word.indexOf('=');
                return prefix + "unknown option '" + (word.startsWith("--") && eq > 0 ? word.substring(0, eq) : word)
                        + "'";
            }
            return prefix + "too many arguments (usage: " + synopsis(failed) + ")";
        }
        java.util.regex.Matcher flag = java.util.regex.Pattern.compile("option '([^']+)' should be specified without")
                .matcher(String.valueOf(e.getMessage()));
        if (flag.find()) {
            OptionSpec o = failed.findOption(flag.group(1));
            return prefix + "option " + (o == null ? flag.group(1) : typedName(o, words)) + " takes no value";
        }
        ArgSpec arg = e.getArgSpec();
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            arg = m.getMissing().get(0);
        }
        if (arg instanceof OptionSpec o) {
            String typed = typedName(o, words);
            if (o.arity().max() == 0) {
                return prefix + "option " + typed + " takes no value";
            }
            if (e instanceof MissingParameterException) {
                return prefix + "option " + typed + " needs a value (" + o.paramLabel() + ")";
            }
        } else if (arg instanceof PositionalParamSpec) {
            if (e instanceof MissingParameterException && verb != null) {
                return prefix + "missing " + verb.args() + " (usage: " + verb.synopsis() + ")";
            }
        }
        return prefix + VerbResult.oneLine(e.getMessage());
    }

    /** @return the spelling of the option the user typed: the last of its names among the words */
    private static String typedName(OptionSpec o, List<String> words) {
        for (int i = words.size() - 1; i >= 0; i--) {
            String w = words.get(i);
            int eq = w.indexOf('=');
            String n = w.startsWith("--") && eq > 0 ? w.substring(0, eq) : w;
            if (List.of(o.names()).contains(n)) {
                return n;
            }
        }
        return o.longestName();
    }

    private static String synopsis(CommandSpec spec) {
        String[] custom = spec.usageMessage().customSynopsis();
        return custom.length > 0 ? custom[0] : spec.name() + " [options]";
    }

    /**
     * The 2017 CLI's {@code plugin ls [-q] [-o json]}, for the command-line client: parses the
     * words, and only then asks for the entries (so that {@code --help} discovers nothing).
     *
     * @param entries discovers the plugins: one entry per socket and interface, an entry with an
     *     empty interface for a socket that did not answer
     * @param words the words after {@code plugin ls}
     * @return the listing, or a usage failure
     */
    public VerbResult pluginLs(Supplier<List<PluginEntry>> entries, List<String> words) {
        List<String> w = words.stream().map(x -> x == null ? "" : x).toList();
        picocli.CommandLine ls = pluginLsCommand();
        ParseResult parsed;
        try {
            parsed = ls.parseArgs(w.toArray(String[]::new));
        } catch (ParameterException e) {
            return new VerbResult(VerbResult.USAGE, "", problem(e, PluginKind.GROUP, "", w), e);
        }
        if (parsed.isUsageHelpRequested()) {
            return VerbResult.success(usage(ls));
        }
        if (parsed.isVersionHelpRequested()) {
            return VerbResult.success(versionLine("plugin ls"));
        }
        try {
            return PluginListing.pluginLs(entries.get(), parsed.hasMatchedOption("--quiet"), format(parsed));
        } catch (InputException e) {
            return new VerbResult(VerbResult.USAGE, "", e.getMessage(), e);
        }
    }

    /**
     * @param kind a kind of plugin
     * @param plugin the plugin, for the title
     * @return the list of verbs with one line each, and the options every verb takes
     */
    public String help(PluginKind kind, PluginRef plugin) {
        return "Verbs of " + kind.title() + " plugin '" + plugin + "':\n" + usage(kindTree(kind))
                + "Every verb takes -o table|json (or --json), -h|--help and -V|--version.\n"
                + "A JSON argument starting with { or [ is inline JSON; - reads standard input; anything else is a file.\n";
    }

    /**
     * @param kind a kind of plugin
     * @return the names of its verbs, in help order
     */
    public List<String> verbs(PluginKind kind) {
        return List.copyOf(verbs.get(kind).keySet());
    }

    /**
     * The whole tree under a root command, for help and for generating completion scripts
     * ({@code picocli.AutoComplete}): {@code group}, {@code instance}, {@code flavor} with their
     * verbs, and {@code plugin ls}. A front end may add its own subcommands to the root.
     *
     * @param root the root command's name, e.g. {@code infrakit}
     * @return a new tree; parsing it runs nothing
     */
    public picocli.CommandLine tree(String root) {
        picocli.CommandLine top = new picocli.CommandLine(command(root, "InfraKit plugins from the command line."));
        for (PluginKind kind : PluginKind.values()) {
            top.addSubcommand(kindWord(kind), kindTree(kind));
        }
        picocli.CommandLine plugin = new picocli.CommandLine(command("plugin", "The plugins' sockets."));
        plugin.addSubcommand("ls", pluginLsCommand());
        top.addSubcommand("plugin", plugin);
        return top;
    }

    /** @return {@code NAME VERSION}, what {@code --version} prints */
    public String versionLine(String name) {
        return "infrakit " + (name.equals("infrakit") ? "" : name + " ") + version + "\n";
    }

    /**
     * @param command a command of a tree
     * @return its usage help, without colours
     */
    public static String usage(picocli.CommandLine command) {
        return command.getUsageMessage(Help.Ansi.OFF);
    }

    private static String kindWord(PluginKind kind) {
        return kind.title().toLowerCase(java.util.Locale.ROOT);
    }

    private picocli.CommandLine kindTree(PluginKind kind) {
        CommandSpec spec = command(kindWord(kind), kind.title() + " plugin verbs.");
        spec.usageMessage().customSynopsis(kindWord(kind) + " [--plugin NAME] VERB [ARGUMENTS] [OPTIONS]");
        spec.addOption(OptionSpec.builder("--plugin").paramLabel("NAME").type(String.class)
                .description("the plugin (NAME or NAME/TYPE; default: " + DEFAULT_PLUGINS.get(kind) + ")")
                .build());
        picocli.CommandLine tree = new picocli.CommandLine(spec);
        for (Verb v : verbs.get(kind).values()) {
            tree.addSubcommand(v.name(), new picocli.CommandLine(v.spec(this)));
        }
        return configure(tree);
    }

    private picocli.CommandLine pluginLsCommand() {
        CommandSpec spec = command("ls", "List the plugins' sockets: INTERFACE, LISTEN (the socket), NAME.");
        spec.usageMessage().customSynopsis("plugin ls [options]");
        spec.addOption(QUIET.build());
        OUTPUT_OPTIONS.forEach(o -> spec.addOption(o.build()));
        return configure(new picocli.CommandLine(spec));
    }

    private CommandSpec command(String name, String description) {
        CommandSpec spec = CommandSpec.create().name(name).version(versionLine(name).strip());
        spec.mixinStandardHelpOptions(true);
        spec.usageMessage().description(description);
        return spec;
    }

    private static picocli.CommandLine configure(picocli.CommandLine cl) {
        // as before picocli: the last of a repeated option wins
        cl.setOverwrittenOptionsAllowed(true);
        cl.setUnmatchedOptionsArePositionalParams(false);
        return cl;
    }

    private static OutputFormat format(ParseResult parsed) throws InputException {
        if (parsed.hasMatchedOption("--json") || parsed.hasMatchedOption("--raw")) {
            return OutputFormat.JSON;
        }
        String output = parsed.matchedOptionValue("--output", null);
        return output == null ? OutputFormat.TABLE : OutputFormat.parse(output);
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * An option of a verb.
     *
     * @param names the spellings, e.g. {@code -p} and {@code --pretend}
     * @param label the value's name in help texts, {@code null} for a flag
     * @param help one line of help
     * @param repeatable whether every value is kept ({@link Words#values})
     */
    private record Opt(List<String> names, String label, String help, boolean repeatable) {
        static Opt flag(String help, String... names) {
            return new Opt(List.of(names), null, help, false);
        }

        static Opt valued(String label, String help, String... names) {
            return new Opt(List.of(names), label, help, false);
        }

        static Opt repeated(String label, String help, String... names) {
            return new Opt(List.of(names), label, help, true);
        }

        OptionSpec build() {
            OptionSpec.Builder b = OptionSpec.builder(names.toArray(String[]::new)).description(help);
            if (label == null) {
                return b.arity("0").type(boolean.class).build();
            }
            b.paramLabel(label).arity("1");
            return repeatable ? b.type(List.class).auxiliaryTypes(String.class).build() : b.type(String.class).build();
        }
    }

    private static final Opt OUTPUT = Opt.valued("FORMAT", "table (default) or json", "-o", "--output");
    private static final Opt JSON = Opt.flag("same as -o json", "--json");
    private static final List<Opt> OUTPUT_OPTIONS = List.of(OUTPUT, JSON);
    private static final Opt RAW = Opt.flag("the same as -o json (the 2017 CLI's spelling)", "-r", "--raw");
    private static final Opt QUIET = Opt.flag("leave out the header line", "-q", "--quiet");
    private static final Opt TAGS = Opt.repeated("K=V[,K=V...]",
            "tags to match (repeatable; a key without =V matches an empty value)", "--tags");
    private static final Opt SIZE = Opt.valued("N", "allocation by size (default: --size 1)", "--size");
    private static final Opt LOGICAL_IDS = Opt.repeated("ID[,ID...]", "allocation by logical IDs (repeatable)",
            "--logical-ids");
    private static final Opt FLAVOR_PROPERTIES = Opt.valued("FILE|JSON|-", "the flavor's properties (default: null)",
            "--properties");

    /** The matched options and arguments of a verb. */
    private static final class Words {
        private final ParseResult parsed;
        private final List<String> positional = new ArrayList<>();

        Words(ParseResult parsed) {
            this.parsed = parsed;
            for (PositionalParamSpec p : parsed.matchedPositionals()) {
                Object v = p.getValue();
                if (v instanceof List<?> list) {
                    list.forEach(x -> positional.add(String.valueOf(x)));
                } else if (v != null) {
                    positional.add(String.valueOf(v));
                }
            }
        }

        List<String> positional() {
            return positional;
        }

        boolean has(String name) {
            return parsed.hasMatchedOption(name);
        }

        String value(String name) {
            return parsed.matchedOptionValue(name, null);
        }

        List<String> values(String name) {
            return parsed.matchedOptionValue(name, List.<String>of());
        }
    }

    @FunctionalInterface
    private interface Action {
        VerbResult run(PluginRef plugin, Words words, OutputFormat format) throws InputException;
    }

    /**
     * A verb.
     *
     * @param args its arguments as help shows them, e.g. {@code ID K=V...}
     * @param labels each positional parameter's label and arity, e.g. {@code ID} 1 and {@code K=V} 1..*
     */
    private record Verb(String name, String args, String summary, List<Opt> options, List<String[]> labels,
            Action action) {
        String synopsis() {
            return name + (args.isEmpty() ? "" : " " + args) + " [options]";
        }

        CommandSpec spec(CommandLine owner) {
            CommandSpec spec = owner.command(name, summary);
            spec.usageMessage().customSynopsis(synopsis());
            for (Opt o : options) {
                spec.addOption(o.build());
            }
            OUTPUT_OPTIONS.forEach(o -> spec.addOption(o.build()));
            for (int i = 0; i < labels.size(); i++) {
                String[] l = labels.get(i);
                boolean many = l[1].endsWith("*");
                PositionalParamSpec.Builder b = PositionalParamSpec.builder().paramLabel(l[0]).arity(l[1])
                        .index(many ? i + "..*" : String.valueOf(i)).required(!l[1].startsWith("0"))
                        .description(l[2]);
                spec.addPositional(many ? b.type(List.class).auxiliaryTypes(String.class).build()
                        : b.type(String.class).build());
            }
            return spec;
        }
    }

    private static String[] arg(String label, String arity, String help) {
        return new String[] {label, arity, help};
    }

    private static final String JSON_ARG = "FILE|JSON|-";

    private void define() {
        Opt pretend = Opt.flag("only say what committing would do", "-p", "--pretend");
        String[] groupId = arg("ID", "1", "the group's ID");
        verbs(PluginKind.GROUP,
                new Verb("commit", JSON_ARG, "Commit a group spec {\"ID\":...,\"Properties\":...}; "
                        + "with --pretend only say what it would do.", List.of(pretend),
                        List.<String[]>of(arg(JSON_ARG, "1", "the group spec")),
                        (p, w, f) -> groups.commit(p, input.readObject(w.positional().get(0), GroupSpec.class,
                                "a group spec"), w.has("--pretend"), f)),
                new Verb("describe", "ID", "List the instances of a group.", List.of(QUIET, RAW), List.<String[]>of(groupId),
                        (p, w, f) -> groups.describe(p, w.positional().get(0), w.has("--quiet"), f)),
                new Verb("inspect", "[ID]", "Show the committed spec of a group, or of every group.", List.of(RAW),
                        List.<String[]>of(arg("ID", "0..1", "the group's ID (default: every group)")),
                        (p, w, f) -> groups.inspect(p, w.positional().isEmpty() ? null : w.positional().get(0), f)),
                new Verb("ls", "", "List the IDs of the managed groups.", List.of(QUIET), List.of(),
                        (p, w, f) -> groups.list(p, w.has("--quiet"), f)),
                new Verb("free", "ID", "Stop managing a group, leaving its instances alone.", List.of(),
                        List.<String[]>of(groupId), (p, w, f) -> groups.free(p, w.positional().get(0), f)),
                new Verb("destroy", "ID", "Stop managing a group and destroy its instances.", List.of(),
                        List.<String[]>of(groupId), (p, w, f) -> groups.destroy(p, w.positional().get(0), f)));

        Opt withProperties = Opt.flag("add each instance's properties (a PROPERTIES column)", "-p", "--properties");
        verbs(PluginKind.INSTANCE,
                new Verb("validate", JSON_ARG, "Validate the plugin's instance properties.", List.of(),
                        List.<String[]>of(arg(JSON_ARG, "1", "the instance properties")),
                        (p, w, f) -> instances.validate(p, input.read(w.positional().get(0)), f)),
                new Verb("provision", JSON_ARG,
                        "Provision one instance from an instance spec {\"Properties\":...,\"Tags\":...}; "
                                + "prints its ID.", List.of(), List.<String[]>of(arg(JSON_ARG, "1", "the instance spec")),
                        (p, w, f) -> instances.provision(p, input.readObject(w.positional().get(0),
                                InstanceSpec.class, "an instance spec"), f)),
                new Verb("describe", "", "List the instances, optionally only those with the given tags.",
                        List.of(TAGS, withProperties, QUIET, RAW), List.of(),
                        (p, w, f) -> instances.describe(p, tags(w.values("--tags")), w.has("--properties"),
                                w.has("--quiet"), f)),
                new Verb("label", "ID K=V...", "Set tags on an instance (other tags are kept).", List.of(),
                        List.<String[]>of(arg("ID", "1", "the instance's ID"), arg("K=V", "1..*", "the tags to set")),
                        (p, w, f) -> instances.label(p, w.positional().get(0),
                                labels(w.positional().subList(1, w.positional().size())), f)),
                new Verb("destroy", "ID...", "Destroy instances, stopping at the first failure.", List.of(),
                        List.<String[]>of(arg("ID", "1..*", "the instances' IDs")),
                        (p, w, f) -> instances.destroy(p, w.positional(), f)));

        Opt logicalId = Opt.flag("the IDs are logical IDs too (sets each LogicalID)", "-l", "--logical-id");
        Opt instanceTags = Opt.repeated("K=V[,K=V...]", "tags of the instances (repeatable)", "--tags");
        Opt indexGroup = Opt.valued("ID", "Index.Group (default: \"\")", "--index-group");
        Opt indexSequence = Opt.valued("N", "Index.Sequence (default: 0)", "--index-sequence");
        String[] ids = arg("ID", "1..*", "the instances' IDs");
        verbs(PluginKind.FLAVOR,
                new Verb("validate", JSON_ARG, "Validate the flavor's properties for an allocation.",
                        List.of(SIZE, LOGICAL_IDS), List.<String[]>of(arg(JSON_ARG, "1", "the flavor's properties")),
                        (p, w, f) -> flavors.validate(p, input.read(w.positional().get(0)), allocation(w), f)),
                new Verb("prepare", JSON_ARG, "Let the flavor prepare an instance spec; prints the spec it returns.",
                        List.of(FLAVOR_PROPERTIES, SIZE, LOGICAL_IDS, indexGroup, indexSequence),
                        List.<String[]>of(arg(JSON_ARG, "1", "the instance spec")),
                        (p, w, f) -> flavors.prepare(p, flavorProperties(w),
                                input.readObject(w.positional().get(0), InstanceSpec.class, "an instance spec"),
                                allocation(w), index(w), f)),
                new Verb("healthy", "ID...", "Ask the flavor how healthy instances are "
                        + "(0 unknown, 1 healthy, 2 unhealthy).", List.of(FLAVOR_PROPERTIES, instanceTags, logicalId),
                        List.<String[]>of(ids), (p, w, f) -> flavors.healthy(p, flavorProperties(w), descriptions(w), f)),
                new Verb("drain", "ID...", "Let the flavor drain instances before they are destroyed.",
                        List.of(FLAVOR_PROPERTIES, instanceTags, logicalId), List.<String[]>of(ids),
                        (p, w, f) -> flavors.drain(p, flavorProperties(w), descriptions(w), f)));
    }

    private void verbs(PluginKind kind, Verb... list) {
        Map<String, Verb> m = new LinkedHashMap<>();
        for (Verb v : list) {
            m.put(v.name(), v);
        }
        verbs.put(kind, m);
    }

    /** {@code --tags} values: comma-separated {@code k=v} items, split at the first {@code =}. */
    static Map<String, String> tags(List<String> values) throws InputException {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq);
                if (key.isEmpty()) {
                    throw new InputException("tag '" + item + "' has no key (expected K=V)");
                }
                tags.put(key, eq < 0 ? "" : item.substring(eq + 1));
            }
        }
        return tags;
    }

    private static Map<String, String> labels(List<String> words) throws InputException {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new InputException("label '" + w + "' must be KEY=VALUE");
            }
            labels.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return labels;
    }

    private RawJson flavorProperties(Words w) throws InputException {
        String arg = w.value("--properties");
        return arg == null ? null : input.read(arg);
    }

    private static Allocation allocation(Words w) throws InputException {
        List<String> ids = new ArrayList<>();
        for (String v : w.values("--logical-ids")) {
            for (String id : v.split(",")) {
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        }
        if (w.has("--size") && w.has("--logical-ids")) {
            throw new InputException("use --size or --logical-ids, not both");
        }
        if (w.has("--logical-ids")) {
            return Allocation.ofLogicalIDs(ids);
        }
        return Allocation.ofSize(w.has("--size") ? count("--size", w.value("--size")) : 1);
    }

    private static Index index(Words w) throws InputException {
        String seq = w.value("--index-sequence");
        return new Index(w.value("--index-group"), seq == null ? 0 : count("--index-sequence", seq));
    }

    private static List<InstanceDescription> descriptions(Words w) throws InputException {
        Map<String, String> tags = tags(w.values("--tags"));
        boolean logical = w.has("--logical-id");
        List<InstanceDescription> list = new ArrayList<>();
        for (String id : w.positional()) {
            list.add(InstanceDescription.of(id, logical ? id : null, tags.isEmpty() ? null : tags, null));
        }
        return list;
    }

    private static long count(String option, String value) throws InputException {
        try {
            long n = Long.parseLong(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputException(option + " must be a non-negative integer, not '" + value + "'");
    }
}
