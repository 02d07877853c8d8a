package org.infrakit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.infrakit.conformance.Conformance;
import org.infrakit.conformance.ConformanceArgs;
import org.infrakit.conformance.Report;
import org.infrakit.rpc.client.ClientTimeout;
import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.client.RemoteError;
import org.infrakit.shell.verbs.CommandLine;
import org.infrakit.shell.verbs.PluginEntry;
import org.infrakit.shell.verbs.PluginKind;
import org.infrakit.shell.verbs.PluginLease;
import org.infrakit.shell.verbs.PluginLookup;
import org.infrakit.shell.verbs.VerbResult;
import org.infrakit.spi.InterfaceSpec;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.ServiceException;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code infrakit} command: {@code plugin ls}, {@code NAME VERB ...} for the plugin on
 * the socket {@code NAME} of the plugins directory, and {@code conformance NAME} (the conformance
 * kit of org.infrakit.conformance). It talks to the sockets directly, so it works
 * against this runtime, against 2017 Go plugins, and with no runtime at all.
 *
 * <p>The verbs themselves are {@link CommandLine}'s, the same code the runtime's Gogo commands run.
 * What this class adds: finding the socket, the handshake that tells which kind of plugin it is
 * (group, instance or flavor), {@code --kind} for a socket that serves several kinds with the
 * same verb, and the 2017 CLI's {@code -r|--raw} as {@code --json} on {@code describe} and
 * {@code inspect}.
 *
 * <p>Exit codes are {@link VerbResult}'s: 0 done, 1 the plugin reported an error, 2 bad usage or
 * input, 3 no such plugin or it cannot be reached. A failure prints one line on standard error.
 */
final class InfrakitCli {
    /** The deadline of a call unless {@code INFRAKIT_CLIENT_TIMEOUT} sets one (the runtime's default). */
    static final long DEFAULT_CALL_TIMEOUT_MS = 30_000;
    /** A handshake is a small call: a socket that needs longer is not answering. */
    static final long MAX_PROBE_TIMEOUT_MS = 5_000;
    /** The log level from which every RPC request and reply is logged (as the 2017 CLI's {@code --log 5}). */
    static final int TRACE_LEVEL = 5;

    private final Map<String, String> env;
    private final Path workingDir;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final String userHome;

    /**
     * @param env the environment
     * @param userHome the user's home directory (for the default plugins directory)
     * @param workingDir relative file arguments are resolved against it
     * @param stdin standard input, read for the argument {@code -}
     * @param out standard output
     * @param err standard error
     */
    InfrakitCli(Map<String, String> env, String userHome, Path workingDir, InputStream stdin, PrintStream out,
            PrintStream err) {
        this.env = Objects.requireNonNull(env, "env");
        this.userHome = Objects.requireNonNull(userHome, "userHome");
        this.workingDir = Objects.requireNonNull(workingDir, "workingDir");
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    /**
     * Runs one command line.
     *
     * @param args the arguments after {@code infrakit}
     * @return the exit code
     */
    int run(List<String> args) {
        try {
            return runChecked(args);
        } catch (RuntimeException e) {
            // a defect here, not in the plugin (the verbs catch those): still one line, no stack trace
            return print(VerbResult.failure(VerbResult.FAILED, "infrakit failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
    }

    private int runChecked(List<String> args) {
        List<String> a = args.stream().map(x -> x == null ? "" : x).toList();
        picocli.CommandLine global = globalOptions();
        ParseResult parsed;
        try {
            parsed = global.parseArgs(a.toArray(String[]::new));
        } catch (ParameterException e) {
            if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                return print(VerbResult.failure(VerbResult.USAGE, "unknown option '" + u.getUnmatched().get(0)
                        + "' (global options: --log N, -h|--help, -V|--version; see infrakit --help)"));
            }
            return print(VerbResult.failure(VerbResult.USAGE, "--log takes a level from 0 to 5"));
        }
        if (parsed.isUsageHelpRequested()) {
            return print(VerbResult.success(help()));
        }
        if (parsed.isVersionHelpRequested()) {
            return print(VerbResult.success("infrakit " + Main.version() + "\n"));
        }
        int logLevel = parsed.matchedOptionValue("--log", 4);
        if (logLevel < 0 || logLevel > TRACE_LEVEL) {
            return print(VerbResult.failure(VerbResult.USAGE, "--log takes a level from 0 to 5"));
        }
        Main.configureLogging(logLevel);
        List<String> words = parsed.matchedPositionalValue(0, List.<String>of());
        if (words.isEmpty()) {
            return print(new VerbResult(VerbResult.USAGE, help(), "missing command (see infrakit --help)", null));
        }
        String command = words.get(0);
        List<String> rest = words.subList(1, words.size());
        switch (command) {
            case "help":
                if (rest.isEmpty()) {
                    return print(VerbResult.success(help()));
                }
                if (rest.get(0).equals("conformance")) {
                    return conformance(List.of("--help"));
                }
                // help NAME [VERB]: the same as NAME [VERB] --help
                List<String> asked = new ArrayList<>(rest.subList(1, rest.size()));
                asked.add("--help");
                return command(rest.get(0), asked, logLevel);
            case "version":
                return print(VerbResult.success("infrakit " + Main.version() + "\n"));
            case "completion":
                return completion(rest);
            case "conformance":
                return conformance(rest);
            default:
                return command(command, rest, logLevel);
        }
    }

    /**
     * The options before the command: {@code --log N}, {@code -h}, {@code -V}. The command and its
     * words are one positional list, handed on unparsed: the command's own tree parses them.
     */
    private static picocli.CommandLine globalOptions() {
        CommandSpec spec = CommandSpec.create().name("infrakit");
        spec.addOption(OptionSpec.builder("--log").paramLabel("N").type(Integer.class).build());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).build());
        spec.addPositional(PositionalParamSpec.builder().paramLabel("COMMAND").arity("0..*").index("0..*")
                .type(List.class).auxiliaryTypes(String.class).build());
        picocli.CommandLine cl = new picocli.CommandLine(spec);
        cl.setStopAtPositional(true);
        cl.setOverwrittenOptionsAllowed(true);
        return cl;
    }

    /** The whole command tree, for completion: the shared verbs and this client's own commands. */
    private picocli.CommandLine tree() {
        picocli.CommandLine tree = verbs().tree("infrakit");
        CommandSpec root = tree.getCommandSpec();
        root.addOption(OptionSpec.builder("--log").paramLabel("N").type(Integer.class)
                .description("5 logs every RPC request and reply on standard error").build());
        CommandSpec conformance = CommandSpec.create().name("conformance");
        conformance.addOption(OptionSpec.builder("--profile").paramLabel("PROFILE").type(String.class)
                .completionCandidates(List.of("infrakit", "2017")).build());
        conformance.addOption(OptionSpec.builder("--allow-writes").arity("0").type(boolean.class).build());
        conformance.addOption(OptionSpec.builder("--instance-plugin").paramLabel("NAME").type(String.class).build());
        conformance.addOption(OptionSpec.builder("--flavor-plugin").paramLabel("NAME").type(String.class).build());
        conformance.addOption(OptionSpec.builder("-o").paramLabel("FORMAT").type(String.class).build());
        conformance.addOption(OptionSpec.builder("--json").arity("0").type(boolean.class).build());
        conformance.addPositional(PositionalParamSpec.builder().paramLabel("NAME").type(String.class).build());
        tree.addSubcommand("conformance", new picocli.CommandLine(conformance));
        CommandSpec completion = CommandSpec.create().name("completion");
        completion.addPositional(PositionalParamSpec.builder().paramLabel("SHELL").type(String.class)
                .completionCandidates(List.of("bash")).build());
        tree.addSubcommand("completion", new picocli.CommandLine(completion));
        tree.addSubcommand("version", new picocli.CommandLine(CommandSpec.create().name("version")));
        tree.addSubcommand("help", new picocli.CommandLine(CommandSpec.create().name("help")));
        return tree;
    }

    /** {@code completion bash}: the bash completion script, generated from the command tree. */
    private int completion(List<String> words) {
        String usage = "Usage: infrakit completion bash\n"
                + "Print the bash completion script; install it with, e.g.,\n"
                + "  infrakit completion bash > ~/.local/share/bash-completion/completions/infrakit\n"
                + "or for this shell only: source <(infrakit completion bash)\n";
        if (words.isEmpty()) {
            return print(new VerbResult(VerbResult.USAGE, usage, "missing shell (one of: bash)", null));
        }
        if (isHelpWord(words.get(0))) {
            return print(VerbResult.success(usage));
        }
        if (!words.get(0).equals("bash") || words.size() > 1) {
            return print(VerbResult.failure(VerbResult.USAGE, "unknown shell '" + String.join(" ", words)
                    + "' (one of: bash)"));
        }
        return print(VerbResult.success(picocli.AutoComplete.bash("infrakit", tree())));
    }

    private CommandLine verbs() {
        return new CommandLine(new PluginLookup() {
            @Override
            public <T> PluginLease<T> open(Class<T> type, PluginRef ref) {
                throw new IllegalStateException("help calls no plugin");
            }
        }, workingDir, () -> stdin, Main.version());
    }

    private int command(String command, List<String> words, int logLevel) {
        long callTimeoutMs = ClientTimeout.millis(null, env, DEFAULT_CALL_TIMEOUT_MS);
        long probeTimeoutMs = Math.min(callTimeoutMs, MAX_PROBE_TIMEOUT_MS);
        try (PluginSockets sockets = new PluginSockets(PluginsDirectory.resolve(env, userHome), callTimeoutMs,
                probeTimeoutMs, logLevel >= TRACE_LEVEL)) {
            CommandLine commandLine = new CommandLine(new SocketLookup(sockets), workingDir, () -> stdin,
                    Main.version());
            if (command.equals("plugin")) {
                return plugin(sockets, commandLine, words);
            }
            PluginKind kind = kindCommand(command);
            if (kind != null && !words.contains("--kind") && words.stream().noneMatch(w -> w.startsWith("--kind="))) {
                return print(commandLine.run(kind, words, ref -> reach(sockets, ref, kind)));
            }
            return print(verb(sockets, commandLine, command, words));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // conformance NAME ...

    /** The conformance kit: one line per check and the totals on standard output; exit 0 only when all pass. */
    private int conformance(List<String> args) {
        if (ConformanceArgs.asksForHelp(args)) {
            return print(VerbResult.success(ConformanceArgs.USAGE));
        }
        ConformanceArgs parsed;
        try {
            parsed = ConformanceArgs.parse(args);
        } catch (IllegalArgumentException e) {
            return print(VerbResult.failure(VerbResult.USAGE, e.getMessage()));
        }
        String problem = PluginRef.nameProblem(parsed.plugin());
        if (problem != null) {
            return print(VerbResult.failure(VerbResult.USAGE, problem + " (see infrakit conformance --help)"));
        }
        Path dir = PluginsDirectory.resolve(env, userHome);
        Path socket = dir.resolve(parsed.plugin());
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return print(VerbResult.failure(VerbResult.UNAVAILABLE, "no plugin '" + parsed.plugin() + "' in " + dir));
        }
        Report report = Conformance.check(socket, parsed.options());
        out.print(parsed.json() ? report.json() : report.text());
        out.flush();
        return report.exitCode();
    }

    // ---------------------------------------------------------------------------------------------
    // plugin ls

    private int plugin(PluginSockets sockets, CommandLine commandLine, List<String> words) {
        String usage = "Usage: infrakit plugin ls [-q] [-o json]\n"
                + "List the plugins of " + sockets.dir() + ": INTERFACE, LISTEN (the socket), NAME.\n";
        if (words.isEmpty()) {
            return print(new VerbResult(VerbResult.USAGE, usage, "missing plugin command (one of: ls)", null));
        }
        String sub = words.get(0);
        if (sub.equals("help") || sub.equals("-h") || sub.equals("--help")) {
            return print(VerbResult.success(usage));
        }
        if (!sub.equals("ls")) {
            return print(VerbResult.failure(VerbResult.USAGE, "unknown plugin command '" + sub + "' (one of: ls)"));
        }
        List<String> warnings = new ArrayList<>();
        VerbResult result;
        try {
            result = commandLine.pluginLs(() -> {
                List<String> names;
                try {
                    names = sockets.names();
                } catch (IOException e) {
                    throw new DirectoryProblem("cannot read the plugins directory " + sockets.dir() + ": "
                            + e.getMessage());
                }
                List<PluginEntry> entries = PluginScan.entries(sockets, names);
                entries.stream().filter(e -> e.problem() != null).sorted(Comparator.comparing(PluginEntry::name))
                        .forEach(e -> warnings.add("warning: plugin '" + e.object() + "' did not answer: "
                                + e.problem()));
                return entries;
            }, words.subList(1, words.size()));
        } catch (DirectoryProblem e) {
            result = VerbResult.failure(VerbResult.UNAVAILABLE, e.getMessage());
        }
        int code = print(result);
        warnings.forEach(err::println);
        return code;
    }

    /** The plugins directory cannot be listed: one line, exit code 3. */
    private static final class DirectoryProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DirectoryProblem(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // group|instance|flavor [--plugin NAME] VERB ...

    private static PluginKind kindCommand(String command) {
        for (PluginKind k : PluginKind.values()) {
            if (kindWord(k).equals(command)) {
                return k;
            }
        }
        return null;
    }

    /** @return why the plugin cannot serve the kind, or {@code null} when it can */
    private static VerbResult reach(PluginSockets sockets, PluginRef ref, PluginKind kind) {
        if (!sockets.exists(ref.name())) {
            return VerbResult.failure(VerbResult.UNAVAILABLE, SocketLookup.noSocket(sockets, ref.name()));
        }
        PluginHandshake.Offer offer;
        try {
            offer = sockets.handshake(ref.name());
        } catch (RemoteError | ServiceException e) {
            return VerbResult.failure(VerbResult.UNAVAILABLE, unavailable(ref, e));
        }
        if (!served(offer, ref).contains(kind)) {
            return VerbResult.failure(VerbResult.UNAVAILABLE, "plugin '" + ref + "' has no " + kind.api()
                    + " object (it serves: " + objects(offer, ref.name()) + ")");
        }
        return null;
    }

    private static String unavailable(PluginRef ref, Exception e) {
        return "plugin '" + ref.name() + "' is unavailable: "
                + (e instanceof RemoteError ? "it answers no handshake: " : "") + VerbResult.oneLine(e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------
    // NAME VERB ... (and, with --kind, group|instance|flavor as a plugin's name)

    private VerbResult verb(PluginSockets sockets, CommandLine commandLine, String name, List<String> words) {
        PluginRef ref = PluginRef.parse(name);
        String problem = PluginRef.nameProblem(ref.name());
        if (problem != null) {
            return VerbResult.failure(VerbResult.USAGE, problem + " (see infrakit --help)");
        }
        List<String> w = new ArrayList<>(words);
        PluginKind wanted;
        try {
            wanted = takeKind(w);
        } catch (IllegalArgumentException e) {
            return VerbResult.failure(VerbResult.USAGE, e.getMessage());
        }
        boolean help = asksForHelp(w);
        String verb = w.isEmpty() || isHelpWord(w.get(0)) ? null : w.get(0);

        if (!sockets.exists(ref.name())) {
            return help ? offlineHelp(commandLine, ref, wanted, verb, SocketLookup.noSocket(sockets, ref.name()))
                    : VerbResult.failure(VerbResult.UNAVAILABLE, SocketLookup.noSocket(sockets, ref.name()));
        }
        PluginHandshake.Offer offer;
        try {
            offer = sockets.handshake(ref.name());
        } catch (RemoteError | ServiceException e) {
            String why = unavailable(ref, e);
            return help ? offlineHelp(commandLine, ref, wanted, verb, why)
                    : VerbResult.failure(VerbResult.UNAVAILABLE, why);
        }

        Set<PluginKind> served = served(offer, ref);
        if (wanted != null) {
            if (!served.contains(wanted)) {
                return VerbResult.failure(VerbResult.UNAVAILABLE, "plugin '" + ref + "' has no " + wanted.api()
                        + " object (it serves: " + objects(offer, ref.name()) + ")");
            }
            served = EnumSet.of(wanted);
        }
        if (served.isEmpty()) {
            if (spoken(offer).isEmpty()) {
                return VerbResult.failure(VerbResult.UNAVAILABLE, "plugin '" + ref.name() + "' speaks "
                        + (offer.interfaces().isEmpty() ? "no interface" : offer.interfaces().stream()
                                .map(InterfaceSpec::toString).collect(Collectors.joining(", ")))
                        + "; this client speaks " + List.of(PluginKind.values()).stream()
                                .map(k -> k.api().toString()).collect(Collectors.joining(", ")));
            }
            return VerbResult.failure(VerbResult.UNAVAILABLE, "plugin '" + ref.name() + "' has no object '" + ref
                    + "' (it serves: " + objects(offer, ref.name()) + ")");
        }
        if (served.size() == 1) {
            return commandLine.run(served.iterator().next(), ref, w);
        }

        // a socket serving several kinds: the verb decides, else --kind
        if (verb == null) {
            StringBuilder b = new StringBuilder();
            for (PluginKind k : served) {
                b.append(commandLine.help(k, ref)).append('\n');
            }
            b.append(kindsNote(ref, served));
            return help ? VerbResult.success(b.toString())
                    : new VerbResult(VerbResult.USAGE, b.toString(), "missing verb", null);
        }
        List<PluginKind> withVerb = served.stream().filter(k -> commandLine.verbs(k).contains(verb)).toList();
        if (withVerb.size() == 1) {
            return commandLine.run(withVerb.get(0), ref, w);
        }
        if (withVerb.isEmpty()) {
            return VerbResult.failure(VerbResult.USAGE, "unknown verb '" + verb + "' for plugin '" + ref + "' (verbs: "
                    + served.stream().flatMap(k -> commandLine.verbs(k).stream()).distinct()
                            .collect(Collectors.joining(", ")) + ")");
        }
        return VerbResult.failure(VerbResult.USAGE, "plugin '" + ref + "' serves " + withVerb.stream()
                .map(k -> k.api().toString()).collect(Collectors.joining(" and ")) + (withVerb.size() == 2 ? ", which both have" : ", which all have")
                + " the verb '" + verb
                + "': choose one with " + withVerb.stream().map(k -> "--kind " + kindWord(k))
                        .collect(Collectors.joining(" or ")));
    }

    /**
     * Help when the plugin cannot be asked what it is: the verbs of the kind given with
     * {@code --kind}, else of every kind that has the verb (or of every kind), and a note on
     * standard error saying why.
     */
    private VerbResult offlineHelp(CommandLine commandLine, PluginRef ref, PluginKind wanted, String verb,
            String why) {
        err.println("note: " + why + "; showing help without it");
        List<PluginKind> kinds = new ArrayList<>();
        for (PluginKind k : PluginKind.values()) {
            if (wanted == null ? verb == null || commandLine.verbs(k).contains(verb) : k == wanted) {
                kinds.add(k);
            }
        }
        if (kinds.isEmpty()) {
            kinds.addAll(List.of(PluginKind.values()));
        }
        StringBuilder b = new StringBuilder();
        for (PluginKind k : kinds) {
            if (kinds.size() > 1) {
                b.append(k.title()).append(" plugin:\n");
            }
            VerbResult r = verb == null ? VerbResult.success(commandLine.help(k, ref))
                    : commandLine.run(k, ref, List.of(verb, "--help"));
            b.append(r.output());
            if (kinds.size() > 1) {
                b.append('\n');
            }
        }
        return VerbResult.success(b.toString());
    }

    /** Removes {@code --kind K} or {@code --kind=K} from the words. */
    private static PluginKind takeKind(List<String> words) {
        PluginKind kind = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String value;
            if (w.equals("--kind")) {
                if (i + 1 >= words.size()) {
                    throw new IllegalArgumentException("--kind takes group, instance or flavor");
                }
                value = words.remove(i + 1);
            } else if (w.startsWith("--kind=")) {
                value = w.substring("--kind=".length());
            } else {
                continue;
            }
            words.remove(i--);
            kind = switch (value.toLowerCase(Locale.ROOT)) {
                case "group" -> PluginKind.GROUP;
                case "instance" -> PluginKind.INSTANCE;
                case "flavor" -> PluginKind.FLAVOR;
                default -> throw new IllegalArgumentException("unknown kind '" + value
                        + "' (--kind takes group, instance or flavor)");
            };
        }
        return kind;
    }

    private static boolean isHelpWord(String w) {
        return w.equals("help") || w.equals("-h") || w.equals("--help");
    }

    private static boolean asksForHelp(List<String> words) {
        return (!words.isEmpty() && isHelpWord(words.get(0))) || words.contains("-h") || words.contains("--help");
    }

    /** The kinds this client speaks that the socket offers, exactly by name and version. */
    private static Set<PluginKind> spoken(PluginHandshake.Offer offer) {
        Set<PluginKind> kinds = EnumSet.noneOf(PluginKind.class);
        for (PluginKind k : PluginKind.values()) {
            if (offer.interfaces().contains(k.api()) || offer.types().containsKey(k.api())) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    /**
     * The kinds whose object {@code ref} the socket serves. Group plugins have no sub-types: the
     * {@code /type} of a group reference is ignored, as the 2017 CLI ignores it. Without
     * {@code Handshake.Types} every object is assumed to exist (the plugin answers for itself).
     */
    static Set<PluginKind> served(PluginHandshake.Offer offer, PluginRef ref) {
        Set<PluginKind> kinds = EnumSet.noneOf(PluginKind.class);
        for (PluginKind k : spoken(offer)) {
            List<String> types = offer.types().get(k.api());
            if (k == PluginKind.GROUP || types == null || types.contains(ref.type())) {
                kinds.add(k);
            }
        }
        return kinds;
    }

    /** @return e.g. {@code instance-aws (Instance/0.6.0), instance-aws/ec2 (Instance/0.6.0)} */
    private static String objects(PluginHandshake.Offer offer, String name) {
        List<String> objects = new ArrayList<>();
        for (InterfaceSpec spec : offer.interfaces()) {
            List<String> types = offer.types().getOrDefault(spec, List.of(""));
            for (String t : types.isEmpty() ? List.of("") : types) {
                objects.add(new PluginRef(name, t) + " (" + spec + ")");
            }
        }
        objects.sort(null);
        return objects.isEmpty() ? "nothing" : String.join(", ", objects);
    }

    private static String kindsNote(PluginRef ref, Set<PluginKind> kinds) {
        return "Plugin '" + ref + "' serves " + kinds.stream().map(k -> k.api().toString())
                .collect(Collectors.joining(" and ")) + ": a verb that several of them have needs "
                + kinds.stream().map(k -> "--kind " + kindWord(k)).collect(Collectors.joining(" or ")) + ".\n";
    }

    private static String kindWord(PluginKind k) {
        return k.title().toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------------------------------------

    private String help() {
        Path dir = PluginsDirectory.resolve(env, userHome);
        CommandLine verbs = verbs();
        return "Usage: infrakit [--log N] COMMAND [ARGUMENTS] [OPTIONS]\n"
                + "\n"
                + "Talks to the InfraKit plugins on the sockets of the plugins directory: $INFRAKIT_PLUGINS_DIR, else\n"
                + "$INFRAKIT_HOME/plugins, else ~/.infrakit/plugins (now " + dir + ").\n"
                + "\n"
                + "Commands:\n"
                + "  plugin ls [-q]           list the plugins: INTERFACE, LISTEN (the socket), NAME\n"
                + "  group [--plugin NAME] VERB [ARGUMENTS]\n"
                + "                           a group plugin's verbs (default plugin: group):\n"
                + "                           " + String.join(", ", verbs.verbs(PluginKind.GROUP)) + "\n"
                + "                           e.g. infrakit group commit cattle.json --pretend\n"
                + "  instance [--plugin NAME[/TYPE]] VERB [ARGUMENTS]\n"
                + "                           an instance plugin's verbs (default plugin: instance-file):\n"
                + "                           " + String.join(", ", verbs.verbs(PluginKind.INSTANCE)) + "\n"
                + "                           e.g. infrakit instance --plugin instance-file describe --tags tier=web\n"
                + "  flavor [--plugin NAME[/TYPE]] VERB [ARGUMENTS]\n"
                + "                           a flavor plugin's verbs (default plugin: flavor-vanilla):\n"
                + "                           " + String.join(", ", verbs.verbs(PluginKind.FLAVOR)) + "\n"
                + "                           e.g. infrakit flavor prepare spec.json --properties props.json\n"
                + "  NAME VERB [ARGUMENTS]    the older form: a verb of the plugin on the socket NAME, whatever its kind\n"
                + "  group|instance|flavor --help, VERB --help\n"
                + "                           the verbs of a kind, the arguments and options of a verb\n"
                + "  conformance NAME [--profile 2017] [--allow-writes] [-o json]\n"
                + "                           check the plugin NAME against the plugin protocol (see conformance --help)\n"
                + "  completion bash          print the bash completion script (see completion --help)\n"
                + "  help [COMMAND [VERB]]    the same as --help\n"
                + "  version                  the version of this client (also -V, --version on every command)\n"
                + "\n"
                + "Options:\n"
                + "  -o json, --json          print JSON (one line) instead of text; every verb takes it\n"
                + "  -r, --raw                describe and inspect: the same as -o json (the 2017 CLI's spelling)\n"
                + "  --kind group|instance|flavor\n"
                + "                           after NAME: which kind of a plugin that serves several kinds\n"
                + "  --log N                  before COMMAND: 5 logs every RPC request and reply on standard error\n"
                + "  -h, --help               this help\n"
                + "  -V, --version            the version\n"
                + "A JSON argument starting with { or [ is inline JSON; - reads standard input; anything else is a file.\n"
                + "\n"
                + "Environment: INFRAKIT_PLUGINS_DIR, INFRAKIT_HOME, INFRAKIT_CLIENT_TIMEOUT (the deadline of a call,\n"
                + "a Go duration such as 45s; default 30s).\n"
                + "Exit codes: 0 done, 1 the plugin reported an error, 2 bad usage or input, 3 no such plugin or it\n"
                + "cannot be reached. A failure prints one line on standard error.\n";
    }

    private int print(VerbResult result) {
        out.print(result.output());
        out.flush();
        if (!result.ok()) {
            err.println(result.error());
            err.flush();
        }
        return result.exitCode();
    }
}
