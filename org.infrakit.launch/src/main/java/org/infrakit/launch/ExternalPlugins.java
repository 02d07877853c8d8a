package org.infrakit.launch;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The external plugin processes declared in this runtime, as the shell's {@code plugins} command
 * shows them. Registered by the launcher; callers only read it.
 */
@ProviderType
public interface ExternalPlugins {

    /**
     * @return a snapshot of every declared external plugin, sorted by name; never {@code null}
     */
    List<ExternalPlugin> list();

    /**
     * @param name a plugin name (the socket's file name)
     * @return the snapshot of that plugin, or empty when no descriptor declares it
     */
    Optional<ExternalPlugin> get(String name);
}
