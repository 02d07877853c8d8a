package org.infrakit.launch.impl;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the lines an external plugin prints end up. */
@FunctionalInterface
interface LineSink {
    /**
     * @param plugin the plugin's name
     * @param line one line of its output, already cleaned of control characters and capped in length
     */
    void line(String plugin, String line);

    /**
     * The production sink: logger {@code infrakit.plugin.<name>}, level INFO, each line prefixed
     * {@code [<name>] }.
     *
     * @return the sink
     */
    static LineSink slf4j() {
        Map<String, Logger> loggers = new ConcurrentHashMap<>();
        return (plugin, line) -> loggers.computeIfAbsent(plugin, p -> LoggerFactory.getLogger("infrakit.plugin." + p))
                .info("[{}] {}", plugin, line);
    }
}
