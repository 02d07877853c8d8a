package org.infrakit.diagnostics.impl;

import java.io.File;
import java.io.IOException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.url.URLStreamHandlerService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so when a file in the deploy folder will never be used. FileInstall silently skips (and
 * keeps skipping) a {@code .jar} that is not a bundle, and silently turns
 * {@code pid~name.cfg} into a plain configuration with a {@code ~} in its PID, which no factory
 * component ever sees (FileInstall 3.7.4 names factory configurations {@code pid-name.cfg}).
 *
 * <p>As an {@link ArtifactInstaller} ranked before FileInstall's own installers, it claims exactly
 * those files and logs one error line for each, when it appears and whenever it changes; every
 * other file is left to FileInstall. It installs nothing.
 *
 * <p>The reference to FileInstall's {@code jardir} URL handler only makes the component wait
 * for FileInstall: without FileInstall (an embedded runtime without a deploy folder) it never
 * activates, and its FileInstall types are never loaded (the import is optional).
 */
@Component(service = ArtifactInstaller.class, property = Constants.SERVICE_RANKING + ":Integer=1000")
public final class DeployFolderCheck implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(DeployFolderCheck.class);

    /** @param fileInstall FileInstall's URL handler: present while FileInstall runs */
    @Activate
    public DeployFolderCheck(
            @Reference(target = "(url.handler.protocol=jardir)") URLStreamHandlerService fileInstall) {
        // only a start condition
    }

    @Override
    public boolean canHandle(File file) {
        return problem(file) != null;
    }

    @Override
    public void install(File file) {
        report(file);
    }

    @Override
    public void update(File file) {
        report(file);
    }

    @Override
    public void uninstall(File file) {
        LOG.info("{} is gone", file);
    }

    private static void report(File file) {
        String problem = problem(file);
        if (problem != null) {
            LOG.error("{}: {}; ignored", file, problem);
        }
    }

    /**
     * @param file a file of the deploy folder
     * @return why it will never be used, or {@code null} when it is none of this component's business
     */
    static String problem(File file) {
        String name = file.getName();
        if ((name.endsWith(".cfg") || name.endsWith(".config")) && name.indexOf('~') > 0) {
            return "FileInstall names a factory configuration <factory pid>-<name>.cfg; rename it to "
                    + name.replaceFirst("~", "-");
        }
        if (name.endsWith(".jar")) {
            return bundleProblem(file);
        }
        return null;
    }

    private static String bundleProblem(File file) {
        try (JarFile jar = new JarFile(file)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "not an OSGi bundle: the jar has no META-INF/MANIFEST.MF";
            }
            if (manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
                return "not an OSGi bundle: its manifest has no Bundle-SymbolicName";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "not a jar file (" + e.getMessage() + ")";
        }
    }
}
