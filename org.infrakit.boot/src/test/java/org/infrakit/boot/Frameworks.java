package org.infrakit.boot;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/** Real Felix frameworks for the tests, each with its own storage. */
final class Frameworks {
    private Frameworks() {
    }

    static Framework started(Path storage, Map<String, String> extra) throws BundleException {
        Map<String, String> config = new HashMap<>(extra);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        Framework framework = new FrameworkFactory().newFramework(config);
        framework.start();
        return framework;
    }

    static void stop(Framework framework) throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
