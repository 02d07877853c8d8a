package org.infrakit.shell.impl;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.infrakit.rpc.BridgeStatus;
import org.infrakit.rpc.ExportedPlugin;
import org.infrakit.rpc.PluginProblem;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Offers the RPC bridge's status to the shell as {@link PluginSockets}. The only class of the
 * shell that uses the bridge's package, which the bundle imports optionally: without the bridge
 * this component is never satisfied and its class is never loaded.
 */
@Component(service = PluginSockets.class)
public final class BridgeStatusSource implements PluginSockets {
    private final BridgeStatus status;

    /** @param status the bridge's status */
    @Activate
    public BridgeStatusSource(@Reference BridgeStatus status) {
        this.status = Objects.requireNonNull(status, "status");
    }

    @Override
    public Path pluginsDir() {
        return status.pluginsDir();
    }

    @Override
    public List<Served> exported() {
        return status.exported().stream().map(BridgeStatusSource::served).toList();
    }

    @Override
    public List<Problem> notExported() {
        return status.notExported().stream().map(BridgeStatusSource::problem).toList();
    }

    @Override
    public List<Problem> notImported() {
        return status.notImported().stream().map(BridgeStatusSource::problem).toList();
    }

    static Served served(ExportedPlugin e) {
        return new Served(e.name(), e.socket(), e.problem());
    }

    static Problem problem(PluginProblem p) {
        return new Problem(p.name(), p.socket(), p.reason());
    }
}
