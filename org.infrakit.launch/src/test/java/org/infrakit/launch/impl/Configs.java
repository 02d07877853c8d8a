package org.infrakit.launch.impl;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Component property types built from a map the way DS builds them: a member takes the map's
 * value under its own name, else its default (null when it has none); one string for an array
 * member becomes a one-element array, as DS converts a scalar.
 */
final class Configs {
    private Configs() {
    }

    @SuppressWarnings("unchecked")
    static <A> A of(Class<A> type, Map<String, ?> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> proxy == args[0];
                };
            }
            Object v = values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue();
            if (v instanceof String s && m.getReturnType() == String[].class) {
                return new String[] {s};
            }
            return v;
        });
    }
}
