package org.infrakit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.infrakit.rpc.client.FlavorPluginProxy;
import org.infrakit.rpc.client.GroupPluginProxy;
import org.infrakit.rpc.client.InstancePluginProxy;
import org.infrakit.rpc.client.JsonRpcClient;
import org.infrakit.shell.verbs.PluginKind;
import org.infrakit.shell.verbs.PluginLease;
import org.infrakit.shell.verbs.PluginLookup;
import org.infrakit.shell.verbs.PluginNotFoundException;
import org.infrakit.spi.PluginRef;

/**
 * Plugins as proxies over their sockets: {@code name} is the socket {@code <dir>/name}, the
 * sub-type of {@code name/type} travels in every Instance and Flavor request (Group requests have
 * none). A lease owns one client and closes it.
 */
final class SocketLookup implements PluginLookup {
    private final PluginSockets sockets;

    SocketLookup(PluginSockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public <T> PluginLease<T> open(Class<T> type, PluginRef ref) throws PluginNotFoundException {
        PluginKind kind = PluginKind.of(type);
        if (!sockets.exists(ref.name())) {
            throw new PluginNotFoundException(noSocket(sockets, ref.name()));
        }
        JsonRpcClient rpc = sockets.client(ref.name());
        Object proxy = switch (kind) {
            case GROUP -> new GroupPluginProxy(rpc);
            case INSTANCE -> new InstancePluginProxy(rpc, ref.type());
            case FLAVOR -> new FlavorPluginProxy(rpc, ref.type());
        };
        return new PluginLease<>(type.cast(proxy), rpc::close);
    }

    /**
     * @param sockets the directory
     * @param name a plugin name without a socket
     * @return {@code no plugin named 'x' in /dir (plugins: a, b)}, or {@code (no plugins)}
     */
    static String noSocket(PluginSockets sockets, String name) {
        String known;
        if (!Files.isDirectory(sockets.dir())) {
            known = "the directory does not exist";
        } else {
            try {
                List<String> names = sockets.names();
                known = names.isEmpty() ? "no plugins" : "plugins: " + String.join(", ", names);
            } catch (IOException e) {
                known = "cannot read the directory: " + e.getMessage();
            }
        }
        return "no plugin named '" + name + "' in " + sockets.dir() + " (" + known + ")";
    }
}
