package org.infrakit.shell.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.felix.gogo.command.Basic;
import org.infrakit.shell.verbs.Fakes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code help infrakit:<command>} prints: gogo.command's help over our descriptors. */
class GogoHelpTest {
    private Basic basic;

    @BeforeEach
    void register() {
        FakeRegistry registry = new FakeRegistry();
        registry.register(new ShellCommands(new Fakes.Lookup(), List::of), "org.infrakit.shell",
                Map.of("osgi.command.scope", "infrakit",
                        "osgi.command.function", new String[] {"plugins", "group", "instance", "flavor"}),
                ShellCommands.class);
        basic = new Basic(registry.context());
    }

    @Test
    void everyCommandIsListed() {
        assertThat(basic.help()).contains("infrakit:plugins", "infrakit:group", "infrakit:instance", "infrakit:flavor");
    }

    @Test
    void groupHelpNamesTheVerbs() {
        String help = basic.help("infrakit:group");

        assertThat(help).contains("commit FILE|JSON|- [--pretend]", "describe ID", "inspect [ID]", "free ID",
                "destroy ID", "--plugin", "the group plugin (NAME; default: group)", "VERB [ARGUMENTS] [OPTIONS]");
    }

    @Test
    void instanceAndFlavorHelpNameTheVerbs() {
        assertThat(basic.help("infrakit:instance")).contains("validate", "provision", "describe [--tags K=V,...]",
                "label ID K=V...", "destroy ID...", "--plugin", "default: instance-file", "VERB [ARGUMENTS]");
        assertThat(basic.help("infrakit:flavor")).contains("validate", "prepare SPEC", "healthy ID...", "drain ID...", "--plugin", "default: flavor-vanilla");
    }

    @Test
    void pluginsHelpDescribesTheOptions() {
        String help = basic.help("infrakit:plugins");

        assertThat(help).contains("List every plugin", "--json", "print JSON", "--quiet", "--output");
    }
}
