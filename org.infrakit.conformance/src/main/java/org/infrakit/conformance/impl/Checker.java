package org.infrakit.conformance.impl;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.infrakit.conformance.Options;
import org.infrakit.conformance.Report;

/** Runs the checks in order: handshake, envelope, then each interface the plugin declares. */
public final class Checker {
    /** The interfaces this kit checks, as the handshake names them. */
    static final String INSTANCE = "Instance/0.6.0";
    static final String FLAVOR = "Flavor/0.1.0";
    static final String GROUP = "Group/0.1.0";

    private Checker() {
    }

    /**
     * @param socket the plugin's socket
     * @param options how to check it
     * @return what was found
     */
    public static Report run(Path socket, Options options) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "conformance-deadlines");
            t.setDaemon(true);
            return t;
        });
        try (Session s = new Session(socket, options, timer)) {
            Set<String> declared = HandshakeChecks.run(s);
            if (declared.isEmpty()) {
                s.skip("interfaces", "no handshake answered, so it is not known what the plugin implements");
            } else {
                EnvelopeChecks.run(s, declared.contains(GROUP));
                for (String api : declared) {
                    switch (api) {
                        case INSTANCE -> InstanceChecks.run(s);
                        case FLAVOR -> FlavorChecks.run(s);
                        case GROUP -> GroupChecks.run(s);
                        default -> s.skip("interface " + api, "not an interface this kit checks (" + INSTANCE + ", "
                                + FLAVOR + ", " + GROUP + ")");
                    }
                }
            }
            return new Report(s.plugin, options.profile(), s.results());
        } finally {
            timer.shutdownNow();
        }
    }
}
