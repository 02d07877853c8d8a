package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words of a verb line split into options and positional arguments. Options may come anywhere:
 * {@code --name value}, {@code --name=value}, {@code -n value}, flags alone; {@code --} ends the
 * options; a lone {@code -} is an argument (standard input).
 */
final class Words {
    /**
     * An option.
     *
     * @param key the name the verb asks for it by
     * @param names the spellings, e.g. {@code -p} and {@code --pretend}
     * @param value the value's name in help texts, {@code null} for a flag
     * @param help one line of help
     */
    record Opt(String key, List<String> names, String value, String help) {
        static Opt flag(String key, String help, String... names) {
            return new Opt(key, List.of(names), null, help);
        }

        static Opt valued(String key, String value, String help, String... names) {
            return new Opt(key, List.of(names), value, help);
        }

        String spelled() {
            String n = names.size() == 1 && names.get(0).startsWith("--")
                    ? "    " + names.get(0)
                    : String.join(", ", names);
            return value == null ? n : n + " " + value;
        }
    }

    private final List<String> positional;
    private final Map<String, List<String>> options;

    private Words(List<String> positional, Map<String, List<String>> options) {
        this.positional = positional;
        this.options = options;
    }

    static Words parse(String verb, List<String> words, List<Opt> known) throws InputException {
        Map<String, Opt> byName = new HashMap<>();
        for (Opt o : known) {
            o.names().forEach(n -> byName.put(n, o));
        }
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (optionsEnded || !w.startsWith("-") || w.equals("-")) {
                positional.add(w);
                continue;
            }
            if (w.equals("--")) {
                optionsEnded = true;
                continue;
            }
            String name = w;
            String value = null;
            int eq = w.indexOf('=');
            if (w.startsWith("--") && eq > 0) {
                name = w.substring(0, eq);
                value = w.substring(eq + 1);
            }
            Opt o = byName.get(name);
            if (o == null) {
                throw new InputException(verb + ": unknown option '" + name + "'");
            }
            if (o.value() == null) {
                if (value != null) {
                    throw new InputException(verb + ": option " + name + " takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= words.size()) {
                    throw new InputException(verb + ": option " + name + " needs a value (" + o.value() + ")");
                }
                value = words.get(++i);
            }
            options.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(value);
        }
        return new Words(positional, options);
    }

    /** @return whether the words ask for help: {@code -h} or {@code --help} before any {@code --} */
    static boolean asksForHelp(List<String> words) {
        for (String w : words) {
            if (w.equals("--")) {
                return false;
            }
            if (w.equals("-h") || w.equals("--help")) {
                return true;
            }
        }
        return false;
    }

    List<String> positional() {
        return positional;
    }

    boolean has(String key) {
        return options.containsKey(key);
    }

    /** @return the last value given for the option, or {@code null} */
    String value(String key) {
        List<String> v = options.get(key);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** @return every value given for the option, in order; empty when none */
    List<String> values(String key) {
        return options.getOrDefault(key, List.of());
    }
}
