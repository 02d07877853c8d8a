package org.infrakit.group.impl;

import java.util.concurrent.Executor;

/** What every {@link GroupLoop} of an engine shares. */
record LoopContext(PluginLookup lookup, Scheduler scheduler, Executor executor, EngineOptions options,
        ReconcileGate gate) {
}
