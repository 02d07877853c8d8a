package org.infrakit.conformance.impl;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.infrakit.conformance.Conformance;
import org.infrakit.conformance.ConformanceArgs;
import org.infrakit.conformance.Report;
import org.infrakit.rpc.BridgeStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo command {@code infrakit:conformance NAME [--profile 2017] [--allow-writes] [-o json]}:
 * the conformance kit against a socket of the runtime's plugins directory, the same as the
 * {@code infrakit conformance} client command. It prints the report; its last line says how many
 * checks passed and failed.
 */
@Component(service = ConformanceCommand.class, property = {
        "osgi.command.scope=infrakit",
        "osgi.command.function=conformance"})
public final class ConformanceCommand {
    private final BridgeStatus bridge;

    /** @param bridge the RPC bridge, for its plugins directory */
    @Activate
    public ConformanceCommand(@Reference BridgeStatus bridge) {
        this.bridge = bridge;
    }

    /**
     * @param args {@code NAME} and options
     * @return the report, or a one-line error for bad usage or a missing socket
     */
    @Descriptor("Check a plugin socket against the plugin protocol: handshake, envelope, and every method of the "
            + "interfaces it declares; what it creates it destroys")
    public String conformance(@Descriptor("NAME [--profile infrakit|2017] [--allow-writes] [--instance-plugin NAME] "
            + "[--flavor-plugin NAME] [-o json]") String... args) {
        List<String> words = Arrays.asList(args);
        if (ConformanceArgs.asksForHelp(words)) {
            return ConformanceArgs.USAGE.replace("infrakit conformance", "infrakit:conformance");
        }
        ConformanceArgs parsed;
        try {
            parsed = ConformanceArgs.parse(words);
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
        Path socket = bridge.pluginsDir().resolve(parsed.plugin());
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return "error: no plugin '" + parsed.plugin() + "' in " + bridge.pluginsDir();
        }
        Report report = Conformance.check(socket, parsed.options());
        return parsed.json() ? report.json() : report.text();
    }
}
