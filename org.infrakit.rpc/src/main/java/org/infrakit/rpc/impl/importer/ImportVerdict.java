package org.infrakit.rpc.impl.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.infrakit.rpc.client.PluginHandshake;
import org.infrakit.rpc.impl.PluginKind;
import org.infrakit.spi.InterfaceSpec;

/**
 * What this runtime makes of a socket's handshake offer: the interfaces it speaks (exact name and
 * version) are imported, with their sub-types; the others are reported as not spoken.
 *
 * @param importable per kind we speak, the sub-types to import ({@code ""} the default object)
 * @param notSpoken the offered interfaces (or versions) this runtime does not speak
 */
public record ImportVerdict(Map<PluginKind, List<String>> importable, List<InterfaceSpec> notSpoken) {

    /**
     * @param offer what a socket implements
     * @return what of it this runtime imports
     */
    public static ImportVerdict judge(PluginHandshake.Offer offer) {
        Map<PluginKind, List<String>> importable = new EnumMap<>(PluginKind.class);
        List<InterfaceSpec> notSpoken = new ArrayList<>();
        for (InterfaceSpec spec : offer.interfaces()) {
            PluginKind kind = PluginKind.named(spec.name());
            if (kind == null || !kind.spec().equals(spec)) {
                notSpoken.add(spec);
                continue;
            }
            List<String> types = offer.types().get(spec);
            if (types == null || !kind.typed()) {
                types = List.of("");
            }
            importable.put(kind, List.copyOf(types));
        }
        return new ImportVerdict(importable, notSpoken);
    }

    /**
     * @param offer the offer judged
     * @return e.g. {@code speaks Instance/0.5.0; this runtime speaks Group/0.1.0, Instance/0.6.0, Flavor/0.1.0}
     */
    public String explain(PluginHandshake.Offer offer) {
        return "speaks " + (offer.interfaces().isEmpty() ? "no interface at all" : offer.interfaces().stream()
                .map(InterfaceSpec::toString).collect(Collectors.joining(", ")))
                + "; this runtime speaks " + Arrays.stream(PluginKind.values())
                        .map(k -> k.spec().toString()).collect(Collectors.joining(", "));
    }
}
