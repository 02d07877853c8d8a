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
    /** The verbs that print data and so take the 2017 CLI's output flag {@code -r|--raw} (cli.md §2.1). */
    private static final Set<String> RAW_VERBS = Set.of("describe", "inspect");

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
        int logLevel = 4;
        int i = 0;
        // global options come before the command
        while (i < a.size() && a.get(i).startsWith("-")) {
            String option = a.get(i);
            if (option.equals("-h") || option.equals("--help")) {
                return print(VerbResult.success(help()));
            } else if (option.equals("--log") || option.startsWith("--log=")) {
                String value = null;
                if (option.startsWith("--log=")) {
                    value = option.substring("--log=".length());
                } else if (i + 1 < a.size()) {
                    value = a.get(++i);
                }
                Integer level = value == null ? null : parseLevel(value);
                if (level == null) {
                    return print(VerbResult.failure(VerbResult.USAGE, "--log takes a level from 0 to 5"));
                }
                logLevel = level;
                i++;
            } else {
                return print(VerbResult.failure(VerbResult.USAGE, "unknown option '" + option
                        + "' (global options: --log N, -h|--help; see infrakit --help)"));
            }
        }
        Main.configureLogging(logLevel);
        if (i == a.size()) {
            return print(new VerbResult(VerbResult.USAGE, help(), "missing command (see infrakit --help)", null));
        }
        String command = a.get(i);
        List<String> rest = a.subList(i + 1, a.size());
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
            case "conformance":
                return conformance(rest);
            default:
                return command(command, rest, logLevel);
        }
    }

    private static Integer parseLevel(String value) {
        try {
            int n = Integer.parseInt(value);
            return n >= 0 && n <= TRACE_LEVEL ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private int command(String command, List<String> words, int logLevel) {
        long callTimeoutMs = ClientTimeout.millis(null, env, DEFAULT_CALL_TIMEOUT_MS);
        long probeTimeoutMs = Math.min(callTimeoutMs, MAX_PROBE_TIMEOUT_MS);
        try (PluginSockets sockets = new PluginSockets(PluginsDirectory.resolve(env, userHome), callTimeoutMs,
                probeTimeoutMs, logLevel >= TRACE_LEVEL)) {
            CommandLine commandLine = new CommandLine(new SocketLookup(sockets), workingDir, () -> stdin);
            if (command.equals("plugin")) {
                return plugin(sockets, commandLine, words);
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
    // NAME VERB ...

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
        rawAsJson(w);
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
            String why = "plugin '" + ref.name() + "' is unavailable: "
                    + (e instanceof RemoteError ? "it answers no handshake: " : "") + VerbResult.oneLine(e.getMessage());
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

    /**
     * The 2017 CLI's {@code -r} and {@code --raw} (print JSON instead of the table) are
     * {@code --json} here, for {@code describe} and {@code inspect} only and only before a
     * {@code --}; other verbs still reject them as unknown options.
     */
    private static void rawAsJson(List<String> words) {
        if (words.isEmpty() || !RAW_VERBS.contains(words.get(0))) {
            return;
        }
        for (int i = 1; i < words.size() && !words.get(i).equals("--"); i++) {
            if (words.get(i).equals("-r") || words.get(i).equals("--raw")) {
                words.set(i, "--json");
            }
        }
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
        CommandLine verbs = new CommandLine(new PluginLookup() {
            @Override
            public <T> PluginLease<T> open(Class<T> type, PluginRef ref) {
                throw new IllegalStateException("help calls no plugin");
            }
        }, workingDir, () -> stdin);
        return "Usage: infrakit [--log N] COMMAND [ARGUMENTS] [OPTIONS]\n"
                + "\n"
                + "Talks to the InfraKit plugins on the sockets of the plugins directory: $INFRAKIT_PLUGINS_DIR, else\n"
                + "$INFRAKIT_HOME/plugins, else ~/.infrakit/plugins (now " + dir + ").\n"
                + "\n"
                + "Commands:\n"
                + "  plugin ls [-q]           list the plugins: INTERFACE, LISTEN (the socket), NAME\n"
                + "  NAME VERB [ARGUMENTS]    run a verb of the plugin on the socket NAME (NAME/TYPE: a typed object);\n"
                + "                           which verbs depends on what the plugin is:\n"
                + "      group plugin:        " + String.join(", ", verbs.verbs(PluginKind.GROUP)) + "\n"
                + "                           e.g. infrakit group commit cattle.json --pretend\n"
                + "      instance plugin:     " + String.join(", ", verbs.verbs(PluginKind.INSTANCE)) + "\n"
                + "                           e.g. infrakit instance-file describe --tags tier=web\n"
                + "      flavor plugin:       " + String.join(", ", verbs.verbs(PluginKind.FLAVOR)) + "\n"
                + "                           e.g. infrakit flavor-vanilla prepare spec.json --properties props.json\n"
                + "  NAME --help              the verbs of the plugin NAME\n"
                + "  NAME VERB --help         the arguments and options of a verb\n"
                + "  conformance NAME [--profile 2017] [--allow-writes] [-o json]\n"
                + "                           check the plugin NAME against the plugin protocol (see conformance --help)\n"
                + "  help [NAME [VERB]]       the same as --help\n"
                + "  version                  the version of this client\n"
                + "\n"
                + "Options:\n"
                + "  -o json, --json          print JSON (one line) instead of text; every verb takes it\n"
                + "  -r, --raw                describe and inspect: the same as -o json (the 2017 CLI's spelling)\n"
                + "  --kind group|instance|flavor\n"
                + "                           after NAME: which kind of a plugin that serves several kinds\n"
                + "  --log N                  before COMMAND: 5 logs every RPC request and reply on standard error\n"
                + "  -h, --help               this help\n"
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
