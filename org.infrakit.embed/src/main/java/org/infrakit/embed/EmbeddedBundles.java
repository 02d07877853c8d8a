package org.infrakit.embed;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/**
 * The bundle jars inside this jar ({@value #DIR}), found by listing the jar (or the class
 * directory, when running from a build). No index to keep up to date: the build copies the jars,
 * this class finds whatever is there.
 */
final class EmbeddedBundles {
    /** Where the bundle jars are, as a resource path. */
    static final String DIR = "org/infrakit/embed/bundles/";

    private EmbeddedBundles() {
    }

    /**
     * An embedded bundle jar.
     *
     * @param fileName the jar's file name, e.g. {@code org.infrakit.rpc-0.1.0-SNAPSHOT.jar}
     * @param symbolicName its {@code Bundle-SymbolicName} without attributes
     * @param isFragment whether it is a fragment (installed, never started)
     */
    record Entry(String fileName, String symbolicName, boolean isFragment) {
        /** @return the jar's content @throws IOException when it cannot be read */
        InputStream open() throws IOException {
            InputStream in = EmbeddedBundles.class.getClassLoader().getResourceAsStream(DIR + fileName);
            if (in == null) {
                throw new IOException("embedded bundle " + DIR + fileName + " is missing");
            }
            return in;
        }
    }

    /**
     * @return every embedded bundle, sorted by file name
     * @throws IOException when the jar or directory holding them cannot be read
     */
    static List<Entry> list() throws IOException {
        List<String> names = new ArrayList<>();
        Path location = location();
        if (Files.isDirectory(location)) {
            Path dir = location.resolve(DIR);
            if (Files.isDirectory(dir)) {
                try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
                    jars.forEach(p -> names.add(p.getFileName().toString()));
                }
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                    String name = e.nextElement().getName();
                    if (name.startsWith(DIR) && name.endsWith(".jar") && name.indexOf('/', DIR.length()) < 0) {
                        names.add(name.substring(DIR.length()));
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new IOException("no bundles in " + location + " under " + DIR + " (a broken build of org.infrakit.embed)");
        }
        names.sort(null);
        List<Entry> entries = new ArrayList<>();
        for (String name : names) {
            entries.add(describe(name));
        }
        return entries;
    }

    private static Entry describe(String fileName) throws IOException {
        try (InputStream in = new Entry(fileName, "", false).open(); JarInputStream jar = new JarInputStream(in)) {
            Manifest manifest = jar.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException("embedded jar " + fileName + " is not a bundle");
            }
            int semicolon = bsn.indexOf(';');
            String name = (semicolon < 0 ? bsn : bsn.substring(0, semicolon)).trim();
            boolean fragment = manifest.getMainAttributes().getValue("Fragment-Host") != null;
            return new Entry(fileName, name, fragment);
        }
    }

    /** @return this jar, or the class directory when running from a build */
    private static Path location() throws IOException {
        CodeSource source = EmbeddedBundles.class.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null) {
            throw new IOException("cannot tell where the org.infrakit.embed classes come from");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot read the org.infrakit.embed jar at " + url + ": " + e.getMessage(), e);
        }
    }
}
