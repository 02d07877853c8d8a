package org.infrakit.shell.verbs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.infrakit.spi.Tags;

/**
 * The plugin listings: the shell's {@code plugins} table and the 2017 CLI's {@code plugin ls}
 * table. JSON output is the array of {@link PluginEntry} objects in the same order as the rows.
 */
public final class PluginListing {
    private PluginListing() {
    }

    /**
     * The shell's listing: columns {@code NAME}, {@code INTERFACE}, {@code SOCKET} ({@code -}
     * when unknown), {@code ORIGIN} (with a supervised process's state, pid, restarts and last
     * exit in brackets), and {@code PROBLEM} when any entry has one; sorted by name, type and
     * interface.
     *
     * @param entries the plugins
     * @param quiet leave out the header line
     * @param format the output format
     * @return the listing; always a success
     */
    public static VerbResult plugins(List<PluginEntry> entries, boolean quiet, OutputFormat format) {
        List<PluginEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(PluginEntry::name, Tags.UTF8_ORDER)
                .thenComparing(PluginEntry::type, Tags.UTF8_ORDER)
                .thenComparing(PluginEntry::api, Tags.UTF8_ORDER));
        if (format == OutputFormat.JSON) {
            return VerbResult.success(JsonText.compact(sorted));
        }
        boolean problems = sorted.stream().anyMatch(e -> e.problem() != null);
        TextTable t = problems
                ? new TextTable("NAME", "INTERFACE", "SOCKET", "ORIGIN", "PROBLEM")
                : new TextTable("NAME", "INTERFACE", "SOCKET", "ORIGIN");
        for (PluginEntry e : sorted) {
            String socket = e.socket() == null ? "-" : e.socket();
            String api = e.api().isEmpty() ? "-" : e.api();
            if (problems) {
                t.row(e.object(), api, socket, e.originText(), e.problem() == null ? "" : e.problem());
            } else {
                t.row(e.object(), api, socket, e.originText());
            }
        }
        return VerbResult.success(t.render(!quiet));
    }

    /**
     * The 2017 CLI's {@code plugin ls}: Go's {@code "%-20s%-50s%-s\n"} for {@code INTERFACE},
     * {@code LISTEN} (the socket path) and {@code NAME} ({@code name} or {@code name/type}), values
     * not truncated; rows sorted by {@code <name>:<interface>}, or the bare name for an entry whose
     * interface is unknown (its INTERFACE column is empty).
     *
     * @param entries the plugins
     * @param quiet leave out the header line
     * @param format the output format
     * @return the listing; always a success
     */
    public static VerbResult pluginLs(List<PluginEntry> entries, boolean quiet, OutputFormat format) {
        List<PluginEntry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(PluginListing::lsKey, Tags.UTF8_ORDER));
        if (format == OutputFormat.JSON) {
            return VerbResult.success(JsonText.compact(sorted));
        }
        StringBuilder b = new StringBuilder();
        if (!quiet) {
            b.append(String.format("%-20s%-50s%s\n", "INTERFACE", "LISTEN", "NAME"));
        }
        for (PluginEntry e : sorted) {
            b.append(String.format("%-20s%-50s%s\n", e.api(), e.socket() == null ? "" : e.socket(), e.object()));
        }
        return VerbResult.success(b.toString());
    }

    private static String lsKey(PluginEntry e) {
        return e.api().isEmpty() ? e.object() : e.object() + ":" + e.api();
    }
}
