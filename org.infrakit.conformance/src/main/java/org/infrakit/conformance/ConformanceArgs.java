package org.infrakit.conformance;

import java.util.List;

/**
 * The command line of {@code infrakit conformance} and of the Gogo command
 * {@code infrakit:conformance}: {@code NAME [--profile 2017] [--allow-writes]
 * [--instance-plugin NAME] [--flavor-plugin NAME] [-o json]}.
 *
 * @param plugin the plugin to check: the name of its socket in the plugins directory
 * @param options how to check it
 * @param json whether to print the report as JSON
 */
public record ConformanceArgs(String plugin, Options options, boolean json) {
    /** The usage text. */
    public static final String USAGE = """
            Usage: infrakit conformance NAME [--profile 2017] [--allow-writes] [--instance-plugin NAME]
                                             [--flavor-plugin NAME] [-o json]
            Checks the plugin on the socket NAME against the plugin protocol: the handshake, the JSON-RPC
            envelope and HTTP rules, and every method of each interface it declares (golden vectors and
            behavioural checks). Everything it creates it destroys again.
              --profile infrakit|2017   whose wire rules: this project's (default) or the 2017 reference's
              --allow-writes            run the checks that commit and destroy a group also on a group
                                        plugin that already manages groups (refused otherwise)
              --instance-plugin NAME    the instance plugin of the group those checks commit (instance-file)
              --flavor-plugin NAME      its flavor plugin (flavor-vanilla)
              -o json, --json           print the report as one line of JSON
            Exit codes: 0 every check passed, 1 a check failed, 2 bad usage, 3 no such plugin.
            """;

    /**
     * @param args the arguments after {@code conformance}
     * @return the parsed command line
     * @throws IllegalArgumentException with a one-line message for bad usage
     */
    public static ConformanceArgs parse(List<String> args) {
        String plugin = null;
        Options options = Options.DEFAULTS;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--profile" -> options = options.withProfile(Profile.of(value(args, ++i, a)));
                case "--allow-writes" -> options = options.withAllowWrites(true);
                case "--instance-plugin" -> options = options.withGroupPlugins(value(args, ++i, a), options.flavorPlugin());
                case "--flavor-plugin" -> options = options.withGroupPlugins(options.instancePlugin(), value(args, ++i, a));
                case "--json" -> json = true;
                case "-o", "--output" -> {
                    String format = value(args, ++i, a);
                    if (!format.equals("json") && !format.equals("text")) {
                        throw new IllegalArgumentException("unknown output format '" + format + "' (one of: text, json)");
                    }
                    json = format.equals("json");
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option '" + a + "' (see infrakit conformance --help)");
                    }
                    if (plugin != null) {
                        throw new IllegalArgumentException("one plugin at a time: '" + plugin + "' and '" + a + "'");
                    }
                    plugin = a;
                }
            }
        }
        if (plugin == null) {
            throw new IllegalArgumentException("missing the plugin's name (see infrakit conformance --help)");
        }
        return new ConformanceArgs(plugin, options, json);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    /** @param args the arguments @return whether they ask for help */
    public static boolean asksForHelp(List<String> args) {
        return args.contains("-h") || args.contains("--help") || args.contains("help") && args.size() == 1;
    }
}
