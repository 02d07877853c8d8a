package org.infrakit.rpc.message;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.infrakit.spi.InterfaceSpec;
import org.infrakit.spi.Tags;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Results of the handshake methods every socket answers: {@code Handshake.Implements} and
 * {@code Handshake.Types} (2017 Go clients), and {@code Plugin.Implements} (the original plugin
 * documentation's form, which the seed's {@code curl} examples use).
 */
public final class HandshakeMessages {
    private HandshakeMessages() {
    }

    /** @param apis the interfaces the socket serves, one entry each */
    public record ImplementsResponse(@JsonProperty("APIs") List<InterfaceSpec> apis) {
        /** Canonical constructor. */
        public ImplementsResponse {
            apis = apis == null ? null : List.copyOf(apis);
        }
    }

    /** @param interfaces the interfaces the socket serves, one entry each */
    public record PluginImplementsResponse(@JsonProperty("Interfaces") List<InterfaceSpec> interfaces) {
        /** Canonical constructor. */
        public PluginImplementsResponse {
            interfaces = interfaces == null ? null : List.copyOf(interfaces);
        }
    }

    /**
     * @param types {@code "Name/Version"} to the sorted sub-type names served for it, {@code "."}
     *     standing for the default object; keys sorted
     */
    public record TypesResponse(@JsonProperty("Types") SortedMap<String, List<String>> types) {
        /** Canonical constructor: keys sorted in UTF-8 order, lists copied. */
        public TypesResponse {
            if (types != null) {
                TreeMap<String, List<String>> copy = new TreeMap<>(Tags.UTF8_ORDER);
                for (Map.Entry<String, List<String>> e : types.entrySet()) {
                    copy.put(e.getKey(), e.getValue() == null ? null : List.copyOf(e.getValue()));
                }
                types = java.util.Collections.unmodifiableSortedMap(copy);
            }
        }
    }
}
