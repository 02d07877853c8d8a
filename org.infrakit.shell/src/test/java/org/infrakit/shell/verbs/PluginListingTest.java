package org.infrakit.shell.verbs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class PluginListingTest {
    static final List<PluginEntry> ENTRIES = List.of(
            new PluginEntry("group", "", "Group/0.1.0", "/home/u/.infrakit/plugins/group", "org.infrakit.group", false, null),
            new PluginEntry("flavor-vanilla", "", "Flavor/0.1.0", "/home/u/.infrakit/plugins/flavor-vanilla",
                    "org.infrakit.flavor.vanilla", false, null),
            new PluginEntry("group-p0", "", "", "/home/u/.infrakit/plugins/group-p0", "", false, "connection refused"),
            new PluginEntry("group", "", "Metadata/0.1.0", "/home/u/.infrakit/plugins/group", "org.infrakit.group", false,
                    null));

    @Test
    void pluginLsAsTheGoCli() {
        // cli.md §3.1: "%-20s%-50s%-s\n", sorted by name:interface, a failed entry by its bare name
        assertThat(PluginListing.pluginLs(ENTRIES, false, OutputFormat.TABLE).output()).isEqualTo(""
                + "INTERFACE           LISTEN                                            NAME\n"
                + "Flavor/0.1.0        /home/u/.infrakit/plugins/flavor-vanilla          flavor-vanilla\n"
                + "                    /home/u/.infrakit/plugins/group-p0                group-p0\n"
                + "Group/0.1.0         /home/u/.infrakit/plugins/group                   group\n"
                + "Metadata/0.1.0      /home/u/.infrakit/plugins/group                   group\n");
        assertThat(PluginListing.pluginLs(ENTRIES, true, OutputFormat.TABLE).output()).startsWith("Flavor/0.1.0 ");
    }

    @Test
    void pluginsTableWithProblems() {
        assertThat(PluginListing.plugins(ENTRIES, false, OutputFormat.TABLE).output()).isEqualTo(""
                + "NAME            INTERFACE       SOCKET                                    ORIGIN                       PROBLEM\n"
                + "flavor-vanilla  Flavor/0.1.0    /home/u/.infrakit/plugins/flavor-vanilla  org.infrakit.flavor.vanilla\n"
                + "group           Group/0.1.0     /home/u/.infrakit/plugins/group           org.infrakit.group\n"
                + "group           Metadata/0.1.0  /home/u/.infrakit/plugins/group           org.infrakit.group\n"
                + "group-p0        -               /home/u/.infrakit/plugins/group-p0                                     connection refused\n");
    }

    @Test
    void pluginsAsJson() {
        String json = PluginListing.plugins(List.of(new PluginEntry("instance-aws", "ec2", "Instance/0.6.0", null,
                "imported", true, null)), false, OutputFormat.JSON).output();

        assertThat(json).isEqualTo("[{\"Name\":\"instance-aws\",\"Type\":\"ec2\",\"Interface\":\"Instance/0.6.0\","
                + "\"Socket\":null,\"Origin\":\"imported\",\"Imported\":true,\"Problem\":null}]\n");
        assertThat(PluginListing.plugins(List.of(), true, OutputFormat.TABLE).output()).isEmpty();
        assertThat(PluginListing.plugins(List.of(), false, OutputFormat.JSON).output()).isEqualTo("[]\n");
    }
}
