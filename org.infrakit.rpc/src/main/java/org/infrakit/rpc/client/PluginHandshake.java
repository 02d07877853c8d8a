package org.infrakit.rpc.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.infrakit.spi.InterfaceSpec;
import org.infrakit.rpc.message.HandshakeMessages;

/**
 * Asks a socket what it implements (departures D1): {@code Handshake.Implements} and
 * {@code Handshake.Types} of the 2017 generation, falling back to the documented
 * {@code Plugin.Implements} when the remote does not know the first.
 */
public final class PluginHandshake {
    private PluginHandshake() {
    }

    /**
     * What a socket says it implements.
     *
     * @param interfaces the interfaces, as reported
     * @param types per interface, its sub-types ({@code ""} is the default object)
     * @param runtimeId the {@code Infrakit-Runtime} that answered, {@code null} for foreign servers
     * @param method the handshake method that answered
     */
    public record Offer(List<InterfaceSpec> interfaces, Map<InterfaceSpec, List<String>> types, String runtimeId,
            String method) {
        /** Canonical constructor: copies. */
        public Offer {
            interfaces = List.copyOf(interfaces);
            types = Map.copyOf(types);
        }
    }

    /**
     * @param rpc the socket's client
     * @return what the socket implements
     * @throws RemoteError when the remote answers neither handshake
     * @throws org.osgi.framework.ServiceException when the socket cannot be reached or does not answer
     */
    public static Offer run(JsonRpcClient rpc) throws RemoteError {
        try {
            JsonRpcClient.Result<HandshakeMessages.ImplementsResponse> r = rpc.exchange("Handshake.Implements", null,
                    HandshakeMessages.ImplementsResponse.class);
            List<InterfaceSpec> apis = r.value().apis() == null ? List.of() : r.value().apis();
            Map<InterfaceSpec, List<String>> types = new LinkedHashMap<>();
            try {
                HandshakeMessages.TypesResponse t = rpc.call("Handshake.Types", null,
                        HandshakeMessages.TypesResponse.class);
                if (t.types() != null) {
                    for (Map.Entry<String, List<String>> e : t.types().entrySet()) {
                        int slash = e.getKey().indexOf('/');
                        InterfaceSpec spec = slash < 0 ? new InterfaceSpec(e.getKey(), "")
                                : new InterfaceSpec(e.getKey().substring(0, slash), e.getKey().substring(slash + 1));
                        types.put(spec, e.getValue() == null ? List.of()
                                : e.getValue().stream().map(n -> n.equals(".") ? "" : n).toList());
                    }
                }
            } catch (RemoteError e) {
                // a server without Handshake.Types serves default objects only
            }
            return new Offer(apis, types, r.runtimeId(), "Handshake.Implements");
        } catch (RemoteError e) {
            if (!unknownMethod(e)) {
                throw e;
            }
        }
        JsonRpcClient.Result<HandshakeMessages.PluginImplementsResponse> r = rpc.exchange("Plugin.Implements", null,
                HandshakeMessages.PluginImplementsResponse.class);
        List<InterfaceSpec> interfaces = r.value().interfaces() == null ? List.of() : r.value().interfaces();
        return new Offer(interfaces, Map.of(), r.runtimeId(), "Plugin.Implements");
    }

    /** -32601, or the reference's -32000 "rpc: can't find service/method". */
    private static boolean unknownMethod(RemoteError e) {
        return e.code() == -32601 || (e.code() == -32000 && e.getMessage() != null && e.getMessage().contains("can't find"));
    }
}
