package org.infrakit.diagnostics.impl;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks the keys and values of one configuration against the attributes its PID declares in
 * its metatype: every key that is not an attribute (nor a key the framework adds), and every
 * value the attribute's type or bounds do not admit, is one finding, in words, naming the key.
 */
final class ConfigurationKeys {
    /** Prefixes of the keys ConfigAdmin, Declarative Services and FileInstall add or read themselves. */
    private static final List<String> FRAMEWORK_PREFIXES = List.of("service.", "component.", "osgi.", "felix.");
    /** Declarative Services reads these per reference ({@code <reference name>.target} ...) from the configuration. */
    private static final List<String> REFERENCE_SUFFIXES = List.of(".target", ".cardinality.minimum");

    private ConfigurationKeys() {
    }

    /**
     * @param source where the configuration came from, for the messages (its file, else its PID)
     * @param ocd the configuration type its PID declares
     * @param properties the configuration
     * @return one line per unknown key and per invalid value; empty when all is well
     */
    static List<String> check(String source, ObjectClassDefinition ocd, Dictionary<String, Object> properties) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        AttributeDefinition[] all = ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
        if (all != null) {
            for (AttributeDefinition ad : all) {
                attributes.put(ad.getID(), ad);
            }
        }
        List<String> findings = new ArrayList<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (isFrameworkKey(key)) {
                continue;
            }
            AttributeDefinition ad = attributes.get(key);
            if (ad == null) {
                findings.add(unknown(source, key, attributes.keySet()));
                continue;
            }
            for (String value : texts(properties.get(key))) {
                String problem = ad.validate(value);
                if (problem != null && !problem.isEmpty()) {
                    findings.add(source + ": invalid value '" + value + "' for key '" + key + "' ("
                            + reason(problem) + "; expected " + expected(ad) + ")");
                }
            }
        }
        return findings;
    }

    /** @return whether the framework, not the component, owns the key */
    static boolean isFrameworkKey(String key) {
        return FRAMEWORK_PREFIXES.stream().anyMatch(key::startsWith)
                || REFERENCE_SUFFIXES.stream().anyMatch(key::endsWith);
    }

    private static String unknown(String source, String key, Collection<String> known) {
        String nearest = KeyHint.nearest(key, known);
        String hint;
        if (nearest != null) {
            hint = " (did you mean " + nearest + "?)";
        } else if (known.isEmpty()) {
            hint = " (it takes no keys)";
        } else {
            hint = " (valid keys: " + String.join(", ", new TreeSet<>(known)) + ")";
        }
        return source + ": unknown key '" + key + "' ignored" + hint;
    }

    /** @return the value's texts: one per element of an array or collection, else one */
    private static List<String> texts(Object value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.add(String.valueOf(Array.get(value, i)));
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v)));
        } else {
            out.add(value.toString());
        }
        return out;
    }

    /** Felix MetaType's messages are localisation keys ({@code %invalid value}) when no bundle translates them. */
    private static String reason(String problem) {
        return problem.startsWith("%") ? problem.substring(1) : problem;
    }

    private static String expected(AttributeDefinition ad) {
        String kind = switch (ad.getType()) {
            case AttributeDefinition.LONG, AttributeDefinition.INTEGER, AttributeDefinition.SHORT,
                    AttributeDefinition.BYTE -> "a whole number";
            case AttributeDefinition.DOUBLE, AttributeDefinition.FLOAT -> "a number";
            case AttributeDefinition.BOOLEAN -> "true or false";
            case AttributeDefinition.CHARACTER -> "one character";
            default -> "text";
        };
        String[] options = ad.getOptionValues();
        if (options != null && options.length > 0) {
            kind += ", one of " + String.join(", ", options);
        }
        String description = ad.getDescription();
        return description == null || description.isBlank() ? kind : kind + ": " + description;
    }
}
