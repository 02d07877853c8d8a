package org.infrakit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineTest {

    @Test
    void readsTheProcFiles() {
        assertThat(Machine.cpuModel("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n"
                + "processor\t: 1\nmodel name\t: AMD EPYC 7B13\n")).isEqualTo("AMD EPYC 7B13");
        assertThat(Machine.memory("MemTotal:       24683620 kB\nMemFree:  1 kB\n")).isEqualTo("23.5 GiB");
        assertThat(Machine.osName("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"))
                .isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(Machine.osName("PRETTY_NAME=Alpine")).isEqualTo("Alpine");
        assertThat(Machine.load("1.08 2.40 4.45 1/89 24620\n")).isEqualTo("1.08 2.40 4.45");
    }

    @Test
    void missingOrOddInputIsUnknown() {
        assertThat(Machine.cpuModel("")).isEqualTo("unknown");
        assertThat(Machine.memory("MemTotal: lots\n")).isEqualTo("unknown");
        assertThat(Machine.memory("MemTotal: 12 MB\n")).isEqualTo("unknown");
        assertThat(Machine.osName("")).isEqualTo("unknown");
        assertThat(Machine.load("")).isEqualTo("unknown");
    }

    @Test
    void theCurrentMachineIsDescribed() {
        Machine m = Machine.current();
        assertThat(m.cores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(m.jdk()).contains(System.getProperty("java.runtime.version"));
        assertThat(m.os()).contains(System.getProperty("os.name"));
    }
}
