package org.infrakit.embed;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Manifest;

import org.infrakit.spi.PluginRef;
import org.slf4j.Logger;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The packages the framework's system bundle exports from the host program's class path
 * ({@code org.osgi.framework.system.packages.extra}): the plugin SPI, the Jackson it uses in its
 * signatures, and SLF4J. The bundles then use the host's very classes, so a {@code GroupPlugin}
 * service is a {@code GroupPlugin} to the host, and the bundles log through the host's SLF4J
 * binding.
 *
 * <p>The packages and their versions are read from the {@code Export-Package} header of the jars
 * those classes come from (all of them are bundles), so they always match the classes.
 */
final class HostPackages {
    /** One class of each jar whose packages the host shares. */
    private static final List<Class<?>> SHARED = List.of(PluginRef.class, JsonProperty.class, JsonFactory.class,
            ObjectMapper.class, Logger.class);

    private HostPackages() {
    }

    /**
     * @return the value for {@code org.osgi.framework.system.packages.extra}
     * @throws IOException when a jar or its manifest cannot be read
     */
    static String exports() throws IOException {
        List<String> exports = new ArrayList<>();
        for (Class<?> c : SHARED) {
            exports.add(exportPackage(c));
        }
        return String.join(",", exports);
    }

    /**
     * @param c a class on the host's class path
     * @return the {@code Export-Package} header of the jar it comes from
     * @throws IOException when there is no such header
     */
    static String exportPackage(Class<?> c) throws IOException {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        URL location = source == null ? null : source.getLocation();
        if (location == null) {
            throw new IOException("cannot tell which jar " + c.getName() + " comes from");
        }
        String base = location.toString();
        URL manifestUrl = new URL(base.endsWith(".jar") ? "jar:" + base + "!/META-INF/MANIFEST.MF"
                : (base.endsWith("/") ? base : base + "/") + "META-INF/MANIFEST.MF");
        Manifest manifest;
        try (InputStream in = manifestUrl.openStream()) {
            manifest = new Manifest(in);
        } catch (IOException e) {
            throw new IOException("cannot read the manifest of " + location + " (for " + c.getName() + "): "
                    + e.getMessage(), e);
        }
        String header = manifest.getMainAttributes().getValue("Export-Package");
        if (header == null || header.isBlank()) {
            throw new IOException(location + " (for " + c.getName() + ") has no Export-Package header: "
                    + "the host must have the bundle jar of it on its class path");
        }
        return header.trim();
    }
}
