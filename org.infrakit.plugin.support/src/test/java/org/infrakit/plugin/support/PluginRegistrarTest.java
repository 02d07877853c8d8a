package org.infrakit.plugin.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.infrakit.spi.PluginException;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

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

    @Test
    void onceTheBundleIsStoppingTheDefaultDoesNotComeBackWhenAConfigurationGoes() {
        boolean[] stopping = {false};
        PluginRegistrar<Object> r = new PluginRegistrar<>(recorder, () -> stopping[0]);
        var def = r.claim("flavor-vanilla", "D", true, "default");
        var c = r.claim("flavor-vanilla", "C", false, "config c");
        var other = r.claim("other", "O", false, "config o");
        stopping[0] = true;

        c.release(); // DS deactivates the configured component first
        assertThat(recorder.live).containsExactly(Map.entry("other", "O"));
        other.release();
        def.release();
        assertThat(recorder.live).isEmpty();
        assertThat(recorder.log).containsExactly("+flavor-vanilla=D", "-flavor-vanilla=D", "+flavor-vanilla=C",
                "+other=O", "-flavor-vanilla=C", "-other=O");
    }

    @Test
    void theStoppingTestReadsTheBundleState() {
        int[] state = {Bundle.ACTIVE};
        Bundle bundle = proxy(Bundle.class, (m, args) -> m.getName().equals("getState") ? state[0] : null);
        BundleContext context = proxy(BundleContext.class, (m, args) -> {
            if (state[0] == Bundle.RESOLVED) {
                throw new IllegalStateException("invalid context");
            }
            return m.getName().equals("getBundle") ? bundle : null;
        });
        var stopping = PluginRegistrar.stopping(context);
        assertThat(stopping.getAsBoolean()).isFalse();
        state[0] = Bundle.STOPPING;
        assertThat(stopping.getAsBoolean()).isTrue();
        state[0] = Bundle.RESOLVED;
        assertThat(stopping.getAsBoolean()).isTrue();
    }

    @Test
    void anOpeningClaimIsOpenedOnlyWhenItIsPublished() throws Exception {
        List<String> opened = new ArrayList<>();
        var c = registrar.claim("instance-file", "C", false, "config c");
        var def = registrar.claimOpening("instance-file", () -> {
            opened.add("D");
            return "D";
        }, true, "default");
        assertThat(opened).isEmpty();
        assertThat(def.opened()).isNull();

        c.release();
        assertThat(opened).containsExactly("D");
        assertThat(recorder.live).containsExactly(Map.entry("instance-file", "D"));
        assertThat(def.opened()).isEqualTo("D");
    }

    @Test
    void anOpeningClaimThatFailsAtOnceIsWithdrawnAndThrows() {
        assertThatThrownBy(() -> registrar.claimOpening("x", () -> {
            throw new PluginException("cannot create x");
        }, true, "default")).isInstanceOf(PluginException.class).hasMessage("cannot create x");
        assertThat(recorder.live).isEmpty();
        registrar.claim("x", "C", false, "config c").release(); // the failed claim is not left behind
        assertThat(recorder.live).isEmpty();
    }

    @Test
    void anOpeningClaimThatFailsLaterLeavesTheNameUnservedAndTheNextClaimWins() throws Exception {
        var c = registrar.claim("x", "C", false, "config c");
        registrar.claimOpening("x", () -> {
            throw new PluginException("cannot create x");
        }, true, "default");
        registrar.claimOpening("x", () -> "D2", true, "second default");
        c.release();
        assertThat(recorder.live).containsExactly(Map.entry("x", "D2"));
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, BiFunction<Method, Object[], Object> f) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> f.apply(m, args));
    }
}
