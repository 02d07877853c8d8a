package org.infrakit.flavor.vanilla.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PluginRegistrarTest {
    /** Records what is published: name to service, plus every publish/withdraw in order. */
    static final class Recorder implements PluginRegistrar.Publisher<Object> {
        final Map<String, Object> live = new LinkedHashMap<>();
        final List<String> log = new ArrayList<>();

        @Override
        public Runnable publish(String name, Object service) {
            assertThat(live).as("two services named " + name).doesNotContainKey(name);
            live.put(name, service);
            log.add("+" + name + "=" + service);
            return () -> {
                live.remove(name);
                log.add("-" + name + "=" + service);
            };
        }
    }

    private final Recorder recorder = new Recorder();
    private final PluginRegistrar<Object> registrar = new PluginRegistrar<>(recorder);

    @Test
    void defaultAndNamedExtrasAreAllPublished() {
        var def = registrar.claim("instance-file", "D", true, "default");
        var a = registrar.claim("another-file", "A", false, "config a");
        assertThat(recorder.live).containsExactly(Map.entry("instance-file", "D"), Map.entry("another-file", "A"));
        assertThat(def.isServing()).isTrue();
        assertThat(a.isServing()).isTrue();

        a.release();
        assertThat(recorder.live).containsExactly(Map.entry("instance-file", "D"));
    }

    @Test
    void aConfigurationWithTheDefaultsNameReplacesTheDefaultWhileItExists() {
        var def = registrar.claim("instance-file", "D", true, "default");
        var c = registrar.claim("instance-file", "C", false, "config c");
        assertThat(recorder.live).containsExactly(Map.entry("instance-file", "C"));
        assertThat(def.isServing()).isFalse();
        assertThat(c.isServing()).isTrue();

        c.release();
        assertThat(recorder.live).containsExactly(Map.entry("instance-file", "D"));
        assertThat(recorder.log).containsExactly("+instance-file=D", "-instance-file=D", "+instance-file=C",
                "-instance-file=C", "+instance-file=D");
    }

    @Test
    void theDefaultArrivingAfterAConfigurationDoesNotTakeOver() {
        var c = registrar.claim("instance-file", "C", false, "config c");
        var def = registrar.claim("instance-file", "D", true, "default");
        assertThat(recorder.live).containsExactly(Map.entry("instance-file", "C"));
        def.release();
        assertThat(recorder.live).containsExactly(Map.entry("instance-file", "C"));
        assertThat(c.isServing()).isTrue();
    }

    @Test
    void aSecondConfigurationWithATakenNameWaitsForTheFirst() {
        var first = registrar.claim("x", "1", false, "config 1");
        var second = registrar.claim("x", "2", false, "config 2");
        assertThat(recorder.live).containsExactly(Map.entry("x", "1"));
        assertThat(second.isServing()).isFalse();

        first.release();
        assertThat(recorder.live).containsExactly(Map.entry("x", "2"));
        first.release(); // idempotent
        assertThat(recorder.live).containsExactly(Map.entry("x", "2"));
        second.release();
        assertThat(recorder.live).isEmpty();
    }

    @Test
    void releasingAWaitingClaimChangesNothingPublished() {
        registrar.claim("x", "1", false, "config 1");
        var waiting = registrar.claim("x", "2", false, "config 2");
        waiting.release();
        assertThat(recorder.log).containsExactly("+x=1");
    }

    @Test
    void closeWithdrawsEverythingAndLaterCallsAreHarmless() {
        var a = registrar.claim("a", "A", true, "default");
        registrar.claim("b", "B", false, "config b");
        registrar.close();
        assertThat(recorder.live).isEmpty();
        a.release();
        registrar.close();
        assertThat(recorder.live).isEmpty();
        assertThatThrownBy(() -> registrar.claim("c", "C", false, "config c"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedPublishLeavesNoClaimBehind() {
        var failing = new PluginRegistrar<Object>((name, service) -> {
            throw new IllegalStateException("bundle stopping");
        });
        assertThatThrownBy(() -> failing.claim("a", "A", false, "config a")).hasMessage("bundle stopping");
        failing.close();
    }
}
