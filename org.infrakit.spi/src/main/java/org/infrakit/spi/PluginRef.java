package org.infrakit.spi;

/**
 * A reference to a plugin as written in group specs and on command lines: {@code <name>[/<type>]}.
 *
 * <p>The string is split at the <em>first</em> {@code /}: {@code instance-file} is the default
 * object of the socket {@code instance-file}; {@code instance-aws/ec2-volume} is the typed object
 * {@code ec2-volume} of the socket {@code instance-aws}. Group calls have no sub-type.
 *
 * @param name the plugin name: the socket file's name, see {@link #validateName(String)}
 * @param type the sub-type, {@code ""} for the default object; never {@code null}
 */
public record PluginRef(String name, String type) {

    /** Canonical constructor: {@code null} parts become {@code ""}. */
    public PluginRef {
        name = name == null ? "" : name;
        type = type == null ? "" : type;
    }

    /**
     * Splits a reference at its first {@code /}, without validating it.
     *
     * @param reference {@code name} or {@code name/type}
     * @return the parts
     */
    public static PluginRef parse(String reference) {
        String s = reference == null ? "" : reference;
        int slash = s.indexOf('/');
        return slash < 0 ? new PluginRef(s, "") : new PluginRef(s.substring(0, slash), s.substring(slash + 1));
    }

    /**
     * Checks that a plugin name can safely be a file name in the plugins directory: not empty, a
     * single path segment (no {@code /}), not {@code .} and without {@code ..}, no control character
     * (C0 U+0000–U+001F with NUL, DEL U+007F, C1 U+0080–U+009F), at most 100 bytes. (The socket
     * path as a whole, plugins directory included, must also fit the platform's limit, 108 bytes
     * with the terminating NUL on Linux, 104 on macOS; the RPC bridge checks that.)
     *
     * @param name the name to check
     * @return the name, for chaining
     * @throws PluginException naming the problem, when the name is not acceptable
     */
    public static String validateName(String name) throws PluginException {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new PluginException(problem);
        }
        return name;
    }

    /**
     * @param name the name to check
     * @return why the name is not a valid plugin name, or {@code null} when it is valid
     */
    public static String nameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "plugin name must not be empty";
        }
        if (name.equals(".") || name.contains("..")) {
            return "plugin name '" + name + "' must not be '.' or contain '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/') {
                return "plugin name '" + name + "' must not contain '/'";
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f)) {
                return "plugin name must not contain control characters (C0 and C1, NUL and DEL included)";
            }
        }
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            return "plugin name '" + name + "' is longer than 100 bytes";
        }
        return null;
    }

    /** @return {@code name} or {@code name/type} */
    @Override
    public String toString() {
        return type.isEmpty() ? name : name + "/" + type;
    }
}
