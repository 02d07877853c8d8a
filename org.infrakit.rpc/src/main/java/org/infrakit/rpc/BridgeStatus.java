package org.infrakit.rpc;

import java.nio.file.Path;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of the RPC bridge, registered as a service while the bridge runs. Every list is a
 * snapshot, sorted by plugin name.
 */
@ProviderType
public interface BridgeStatus {
    /** @return the plugins directory the bridge serves and watches */
    Path pluginsDir();

    /** @return one entry per plugin name served (or meant to be served) by this runtime */
    List<ExportedPlugin> exported();

    /**
     * @return local plugin services that are not served, and why: an invalid name, or a second
     *     service for a name and interface that another service serves already
     */
    List<PluginProblem> notExported();

    /** @return the foreign sockets imported as services */
    List<ImportedPlugin> imported();

    /** @return the foreign sockets found in the directory that are not imported, and why */
    List<PluginProblem> notImported();
}
