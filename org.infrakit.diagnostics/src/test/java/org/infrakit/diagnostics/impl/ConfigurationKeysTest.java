package org.infrakit.diagnostics.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Hashtable;
import java.util.List;

import org.apache.felix.metatype.AD;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** The checks against Felix MetaType's own attribute definitions (their validation is the real one). */
class ConfigurationKeysTest {
    private static final String SOURCE = "/home/me/deploy/org.infrakit.group.cfg";

    private static AD ad(String id, String type, String defaultValue) {
        AD ad = new AD();
        ad.setID(id);
        ad.setType(type);
        ad.setDescription(id + " described");
        ad.setRequired(true); // as bnd writes them
        ad.setDefaultValue(defaultValue);
        return ad;
    }

    /** The attributes of the group plugin's configuration, plus a bounded one and a boolean. */
    private static final ObjectClassDefinition GROUP = ocd(ad("poll.interval", "String", "10s"),
            ad("parallelism", "Integer", "2"), ad("state.dir", "String", ""), bounded(),
            ad("enabled", "Boolean", "true"),
            ad("timeout.ms", "Long", "1000"));

    private static AD bounded() {
        AD ad = ad("max.restarts", "Integer", "5");
        ad.setMin("0");
        return ad;
    }

    private static Hashtable<String, Object> config(Object... keysAndValues) {
        Hashtable<String, Object> t = new Hashtable<>();
        t.put("service.pid", "org.infrakit.group");
        t.put("felix.fileinstall.filename", "file:" + SOURCE);
        t.put("component.name", "group");
        t.put("instances.target", "(x=y)");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            t.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return t;
    }

    @Test
    void knownKeysWithGoodValuesAndFrameworkKeysSayNothing() {
        assertThat(ConfigurationKeys.check(SOURCE, GROUP, config("poll.interval", "5s", "parallelism", "4",
                "state.dir", "", "max.restarts", "0", "enabled", "false", "timeout.ms", 30L))).isEmpty();
    }

    @Test
    void anUnknownKeyIsNamedWithTheKeyMeant() {
        assertThat(ConfigurationKeys.check(SOURCE, GROUP, config("poll_interval", "5s")))
                .containsExactly(SOURCE + ": unknown key 'poll_interval' ignored (did you mean poll.interval?)");
        assertThat(ConfigurationKeys.check(SOURCE, GROUP, config("colour", "red")))
                .containsExactly(SOURCE + ": unknown key 'colour' ignored (valid keys: enabled, max.restarts, "
                        + "parallelism, poll.interval, state.dir, timeout.ms)");
    }

    @Test
    void aValueItsTypeDoesNotAdmitIsNamedWithWhatIsExpected() {
        assertThat(ConfigurationKeys.check(SOURCE, GROUP, config("parallelism", "many", "timeout.ms", "30s",
                "enabled", "yes", "max.restarts", "-1")))
                .containsExactlyInAnyOrder(
                        SOURCE + ": invalid value 'many' for key 'parallelism' (invalid value; expected a whole "
                                + "number: parallelism described)",
                        SOURCE + ": invalid value '30s' for key 'timeout.ms' (invalid value; expected a whole "
                                + "number: timeout.ms described)",
                        SOURCE + ": invalid value 'yes' for key 'enabled' (invalid value; expected true or false: "
                                + "enabled described)",
                        SOURCE + ": invalid value '-1' for key 'max.restarts' (less than minimum; expected a whole "
                                + "number: max.restarts described)");
    }

    @Test
    void eachElementOfAnArrayIsChecked() {
        assertThat(ConfigurationKeys.check(SOURCE, GROUP, config("parallelism", new String[] {"1", "two"})))
                .containsExactly(SOURCE + ": invalid value 'two' for key 'parallelism' (invalid value; expected a "
                        + "whole number: parallelism described)");
    }

    private static ObjectClassDefinition ocd(AD... ads) {
        return new ObjectClassDefinition() {
            @Override
            public String getName() {
                return "test";
            }

            @Override
            public String getID() {
                return "test";
            }

            @Override
            public String getDescription() {
                return "";
            }

            @Override
            public AttributeDefinition[] getAttributeDefinitions(int filter) {
                return List.of(ads).stream().map(ConfigurationKeysTest::adapt).toArray(AttributeDefinition[]::new);
            }

            @Override
            public InputStream getIcon(int size) {
                return null;
            }
        };
    }

    private static AttributeDefinition adapt(AD ad) {
        return new AttributeDefinition() {
            @Override
            public String getName() {
                return ad.getID();
            }

            @Override
            public String getID() {
                return ad.getID();
            }

            @Override
            public String getDescription() {
                return ad.getDescription();
            }

            @Override
            public int getCardinality() {
                return ad.getCardinality();
            }

            @Override
            public int getType() {
                return ad.getType();
            }

            @Override
            public String[] getOptionValues() {
                return ad.getOptionValues();
            }

            @Override
            public String[] getOptionLabels() {
                return ad.getOptionLabels();
            }

            @Override
            public String validate(String value) {
                return ad.validate(value);
            }

            @Override
            public String[] getDefaultValue() {
                return ad.getDefaultValue();
            }
        };
    }
}
