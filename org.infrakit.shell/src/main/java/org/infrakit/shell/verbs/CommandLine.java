package org.infrakit.shell.verbs;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.infrakit.spi.Allocation;
import org.infrakit.spi.GroupSpec;
import org.infrakit.spi.Index;
import org.infrakit.spi.InstanceDescription;
import org.infrakit.spi.InstanceSpec;
import org.infrakit.spi.PluginRef;
import org.infrakit.spi.RawJson;
import org.infrakit.shell.verbs.Words.Opt;

/**
 * Runs a verb line: the words after the plugin, such as {@code commit cattle.json --pretend} or
 * {@code describe --tags infrakit.group=cattle}. Both front ends (the Gogo commands and the
 * command-line client) hand their words to this class, so a verb parses, behaves and prints the
 * same in both.
 *
 * <p>Options may come anywhere among the arguments. Every verb takes {@code -o table|json} (or
 * {@code --json}) and {@code -h|--help}. A JSON argument is inline JSON when it starts with
 * <code>{</code> or {@code [}, standard input when it is {@code -}, and a file path otherwise
 * (see {@link JsonInput}). The first word may also be {@code help}, {@code -h} or {@code --help}
 * (the list of verbs) or {@code help VERB}.
 *
 * <p>Never throws for anything a user can type: every problem is a {@link VerbResult} with one
 * error line and an exit code.
 */
public final class CommandLine {
    private static final Opt OUTPUT = Opt.valued("output", "FORMAT", "table (default) or json", "-o", "--output");
    private static final Opt JSON = Opt.flag("json", "same as -o json", "--json");
    private static final Opt HELP = Opt.flag("help", "show this help", "-h", "--help");
    private static final Opt QUIET = Opt.flag("quiet", "leave out the header line", "-q", "--quiet");
    private static final Opt TAGS = Opt.valued("tags", "K=V[,K=V...]",
            "tags to match (repeatable; a key without =V matches an empty value)", "--tags");
    private static final Opt SIZE = Opt.valued("size", "N", "allocation by size (default: --size 1)", "--size");
    private static final Opt LOGICAL_IDS = Opt.valued("logical-ids", "ID[,ID...]",
            "allocation by logical IDs (repeatable)", "--logical-ids");
    private static final Opt FLAVOR_PROPERTIES = Opt.valued("properties", "FILE|JSON|-",
            "the flavor's properties (default: null)", "--properties");

    private final GroupVerbs groups;
    private final InstanceVerbs instances;
    private final FlavorVerbs flavors;
    private final JsonInput input;
    private final Map<PluginKind, Map<String, Verb>> verbs = new EnumMap<>(PluginKind.class);

    /**
     * @param lookup finds plugins
     * @param workingDir the directory relative file paths are resolved against
     * @param stdin standard input, read only for the argument {@code -}
     */
    public CommandLine(PluginLookup lookup, Path workingDir, Supplier<InputStream> stdin) {
        this.groups = new GroupVerbs(lookup);
        this.instances = new InstanceVerbs(lookup);
        this.flavors = new FlavorVerbs(lookup);
        this.input = new JsonInput(workingDir, stdin);
        define();
    }

    /**
     * Runs one verb line.
     *
     * @param kind the kind of plugin
     * @param plugin the plugin ({@code group}, {@code instance-file}, {@code instance-aws/ec2})
     * @param words the verb and its arguments and options
     * @return the result; never {@code null}
     */
    public VerbResult run(PluginKind kind, PluginRef plugin, List<String> words) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(plugin, "plugin");
        // a shell variable that is not set arrives as null
        List<String> w = words.stream().map(x -> x == null ? "" : x).toList();
        Map<String, Verb> table = verbs.get(kind);
        if (w.isEmpty()) {
            return new VerbResult(VerbResult.USAGE, help(kind, plugin), "missing verb (one of "
                    + String.join(", ", table.keySet()) + ")", null);
        }
        String first = w.get(0);
        if (first.equals("help") || first.equals("-h") || first.equals("--help")) {
            if (first.equals("help") && w.size() > 1 && table.containsKey(w.get(1))) {
                return VerbResult.success(table.get(w.get(1)).usage());
            }
            return VerbResult.success(help(kind, plugin));
        }
        Verb verb = table.get(first);
        if (verb == null) {
            return VerbResult.failure(VerbResult.USAGE, "unknown verb '" + first + "' for " + kind.title()
                    + " plugin '" + plugin + "' (verbs: " + String.join(", ", table.keySet()) + ")");
        }
        List<String> rest = w.subList(1, w.size());
        if (Words.asksForHelp(rest)) {
            return VerbResult.success(verb.usage());
        }
        try {
            Words parsed = Words.parse(verb.name(), rest, verb.options());
            int n = parsed.positional().size();
            if (n < verb.min()) {
                throw new InputException(verb.name() + ": missing " + (verb.args().isEmpty() ? "arguments"
                        : verb.args()) + " (usage: " + verb.synopsis() + ")");
            }
            if (n > verb.max()) {
                throw new InputException(verb.name() + ": too many arguments (usage: " + verb.synopsis() + ")");
            }
            return verb.action().run(plugin, parsed, format(parsed));
        } catch (InputException e) {
            return new VerbResult(VerbResult.USAGE, "", e.getMessage(), e);
        } catch (RuntimeException e) {
            // a defect here, not in the plugin (Invocation catches those): still one line for the user
            return new VerbResult(VerbResult.FAILED, "", verb.name() + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
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
        String usage = "Usage: plugin ls [options]\nList the plugins' sockets: INTERFACE, LISTEN (the socket), NAME.\n"
                + "Options:\n" + optionTable(List.of(QUIET, OUTPUT, JSON, HELP));
        if (Words.asksForHelp(w)) {
            return VerbResult.success(usage);
        }
        try {
            Words parsed = Words.parse("ls", w, List.of(QUIET, OUTPUT, JSON, HELP));
            if (!parsed.positional().isEmpty()) {
                throw new InputException("ls: too many arguments (usage: plugin ls [options])");
            }
            return PluginListing.pluginLs(entries.get(), parsed.has(QUIET.key()), format(parsed));
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
        StringBuilder b = new StringBuilder("Verbs of " + kind.title() + " plugin '" + plugin + "':\n");
        TextTable t = new TextTable("", "");
        for (Verb v : verbs.get(kind).values()) {
            t.row("  " + v.synopsis(), v.summary());
        }
        b.append(t.render(false));
        b.append("Every verb takes -o table|json (or --json) and -h|--help.\n");
        b.append("A JSON argument starting with { or [ is inline JSON; - reads standard input; anything else is a file.\n");
        return b.toString();
    }

    /**
     * @param kind a kind of plugin
     * @return the names of its verbs, in help order
     */
    public List<String> verbs(PluginKind kind) {
        return List.copyOf(verbs.get(kind).keySet());
    }

    private static OutputFormat format(Words parsed) throws InputException {
        if (parsed.has(JSON.key())) {
            return OutputFormat.JSON;
        }
        return parsed.has(OUTPUT.key()) ? OutputFormat.parse(parsed.value(OUTPUT.key())) : OutputFormat.TABLE;
    }

    private static String optionTable(List<Opt> options) {
        TextTable t = new TextTable("", "");
        for (Opt o : options) {
            t.row("  " + o.spelled(), o.help());
        }
        return t.render(false);
    }

    // ---------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Action {
        VerbResult run(PluginRef plugin, Words words, OutputFormat format) throws InputException;
    }

    private record Verb(String name, String args, String summary, List<Opt> options, int min, int max,
            Action action) {
        Verb {
            List<Opt> all = new ArrayList<>(options);
            all.addAll(List.of(OUTPUT, JSON, HELP));
            options = List.copyOf(all);
        }

        String synopsis() {
            return name + (args.isEmpty() ? "" : " " + args) + " [options]";
        }

        String usage() {
            StringBuilder b = new StringBuilder("Usage: ").append(synopsis()).append('\n');
            b.append(summary).append('\n').append("Options:\n");
            return b.append(optionTable(options)).toString();
        }
    }

    private static final int MANY = Integer.MAX_VALUE;

    private void define() {
        Opt pretend = Opt.flag("pretend", "only say what committing would do", "-p", "--pretend");
        verbs(PluginKind.GROUP,
                new Verb("commit", "FILE|JSON|-", "Commit a group spec {\"ID\":...,\"Properties\":...}; "
                        + "with --pretend only say what it would do.", List.of(pretend), 1, 1,
                        (p, w, f) -> groups.commit(p, input.readObject(w.positional().get(0), GroupSpec.class,
                                "a group spec"), w.has("pretend"), f)),
                new Verb("describe", "ID", "List the instances of a group.", List.of(QUIET), 1, 1,
                        (p, w, f) -> groups.describe(p, w.positional().get(0), w.has("quiet"), f)),
                new Verb("inspect", "[ID]", "Show the committed spec of a group, or of every group.", List.of(), 0, 1,
                        (p, w, f) -> groups.inspect(p, w.positional().isEmpty() ? null : w.positional().get(0), f)),
                new Verb("ls", "", "List the IDs of the managed groups.", List.of(QUIET), 0, 0,
                        (p, w, f) -> groups.list(p, w.has("quiet"), f)),
                new Verb("free", "ID", "Stop managing a group, leaving its instances alone.", List.of(), 1, 1,
                        (p, w, f) -> groups.free(p, w.positional().get(0), f)),
                new Verb("destroy", "ID", "Stop managing a group and destroy its instances.", List.of(), 1, 1,
                        (p, w, f) -> groups.destroy(p, w.positional().get(0), f)));

        Opt withProperties = Opt.flag("properties", "add each instance's properties (a PROPERTIES column)",
                "-p", "--properties");
        verbs(PluginKind.INSTANCE,
                new Verb("validate", "FILE|JSON|-", "Validate the plugin's instance properties.", List.of(), 1, 1,
                        (p, w, f) -> instances.validate(p, input.read(w.positional().get(0)), f)),
                new Verb("provision", "FILE|JSON|-",
                        "Provision one instance from an instance spec {\"Properties\":...,\"Tags\":...}; "
                                + "prints its ID.", List.of(), 1, 1,
                        (p, w, f) -> instances.provision(p, input.readObject(w.positional().get(0),
                                InstanceSpec.class, "an instance spec"), f)),
                new Verb("describe", "", "List the instances, optionally only those with the given tags.",
                        List.of(TAGS, withProperties, QUIET), 0, 0,
                        (p, w, f) -> instances.describe(p, tags(w.values("tags")), w.has("properties"),
                                w.has("quiet"), f)),
                new Verb("label", "ID K=V...", "Set tags on an instance (other tags are kept).", List.of(), 2, MANY,
                        (p, w, f) -> instances.label(p, w.positional().get(0),
                                labels(w.positional().subList(1, w.positional().size())), f)),
                new Verb("destroy", "ID...", "Destroy instances, stopping at the first failure.", List.of(), 1, MANY,
                        (p, w, f) -> instances.destroy(p, w.positional(), f)));

        Opt logicalId = Opt.flag("logical-id", "the IDs are logical IDs too (sets each LogicalID)",
                "-l", "--logical-id");
        Opt instanceTags = Opt.valued("tags", "K=V[,K=V...]", "tags of the instances (repeatable)", "--tags");
        Opt indexGroup = Opt.valued("index-group", "ID", "Index.Group (default: \"\")", "--index-group");
        Opt indexSequence = Opt.valued("index-sequence", "N", "Index.Sequence (default: 0)", "--index-sequence");
        verbs(PluginKind.FLAVOR,
                new Verb("validate", "FILE|JSON|-", "Validate the flavor's properties for an allocation.",
                        List.of(SIZE, LOGICAL_IDS), 1, 1,
                        (p, w, f) -> flavors.validate(p, input.read(w.positional().get(0)), allocation(w), f)),
                new Verb("prepare", "FILE|JSON|-", "Let the flavor prepare an instance spec; prints the spec it returns.",
                        List.of(FLAVOR_PROPERTIES, SIZE, LOGICAL_IDS, indexGroup, indexSequence), 1, 1,
                        (p, w, f) -> flavors.prepare(p, flavorProperties(w),
                                input.readObject(w.positional().get(0), InstanceSpec.class, "an instance spec"),
                                allocation(w), index(w), f)),
                new Verb("healthy", "ID...", "Ask the flavor how healthy instances are "
                        + "(0 unknown, 1 healthy, 2 unhealthy).", List.of(FLAVOR_PROPERTIES, instanceTags, logicalId),
                        1, MANY,
                        (p, w, f) -> flavors.healthy(p, flavorProperties(w), descriptions(w), f)),
                new Verb("drain", "ID...", "Let the flavor drain instances before they are destroyed.",
                        List.of(FLAVOR_PROPERTIES, instanceTags, logicalId), 1, MANY,
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
        String arg = w.value(FLAVOR_PROPERTIES.key());
        return arg == null ? null : input.read(arg);
    }

    private static Allocation allocation(Words w) throws InputException {
        List<String> ids = new ArrayList<>();
        for (String v : w.values(LOGICAL_IDS.key())) {
            for (String id : v.split(",")) {
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        }
        if (w.has(SIZE.key()) && w.has(LOGICAL_IDS.key())) {
            throw new InputException("use --size or --logical-ids, not both");
        }
        if (w.has(LOGICAL_IDS.key())) {
            return Allocation.ofLogicalIDs(ids);
        }
        return Allocation.ofSize(w.has(SIZE.key()) ? count("--size", w.value(SIZE.key())) : 1);
    }

    private static Index index(Words w) throws InputException {
        String seq = w.value("index-sequence");
        return new Index(w.value("index-group"), seq == null ? 0 : count("--index-sequence", seq));
    }

    private static List<InstanceDescription> descriptions(Words w) throws InputException {
        Map<String, String> tags = tags(w.values("tags"));
        boolean logical = w.has("logical-id");
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
