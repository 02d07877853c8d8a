package org.infrakit.shell.impl;

import java.util.List;
import java.util.Objects;

import org.infrakit.launch.ExternalPlugin;
import org.infrakit.launch.ExternalPlugins;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Offers the launcher's processes to the shell as {@link PluginProcesses}. The only class of the
 * shell that uses the launcher's package, which the bundle imports optionally: without the
 * launcher this component is never satisfied and its class is never loaded.
 */
@Component(service = PluginProcesses.class)
public final class LauncherSource implements PluginProcesses {
    private final ExternalPlugins launcher;

    /** @param launcher the launcher's processes */
    @Activate
    public LauncherSource(@Reference ExternalPlugins launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    @Override
    public List<Process> list() {
        return launcher.list().stream().map(LauncherSource::process).toList();
    }

    static Process process(ExternalPlugin p) {
        return new Process(p.name(), state(p.state()), p.pid(), p.restarts(), p.lastExitCode(), p.lastError());
    }

    private static State state(ExternalPlugin.State s) {
        return s == null ? null : switch (s) {
            case STARTING -> State.STARTING;
            case RUNNING -> State.RUNNING;
            case RESTARTING -> State.RESTARTING;
            case FAILED -> State.FAILED;
            case ADOPTED -> State.ADOPTED;
            case STOPPED -> State.STOPPED;
        };
    }
}
