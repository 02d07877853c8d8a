package org.infrakit.conformance;

import java.nio.file.Path;

import org.infrakit.conformance.impl.Checker;

/**
 * The conformance kit: checks the plugin on a socket. It only talks to sockets: the plugin may be
 * written in any language and run anywhere that shares the plugins directory.
 *
 * <p>What it creates on the plugin (instances, a group) it destroys again, also when a check fails
 * half-way; when the plugin does not let it, a failed check says what was left. It refuses to
 * commit a group on a group plugin that already manages groups unless
 * {@link Options#allowWrites()}.
 */
public final class Conformance {
    private Conformance() {
    }

    /**
     * Runs every check that applies: the handshake, the envelope and HTTP rules, then each
     * interface the plugin declares in its handshake.
     *
     * @param socket the plugin's socket; its file name is the plugin's name and its directory the
     *     plugins directory (where the group checks find the instance and flavor plugins)
     * @param options how to check it
     * @return one result per check, in order
     */
    public static Report check(Path socket, Options options) {
        return Checker.run(socket, options);
    }
}
