package org.infrakit.shell.verbs;

import org.infrakit.spi.PluginException;
import org.infrakit.spi.PluginRef;
import org.osgi.framework.ServiceException;

/** Runs one verb against one plugin and turns every way it can end into a {@link VerbResult}. */
final class Invocation {
    private Invocation() {
    }

    /** The body of a verb: calls the plugin and writes what it got to the output. */
    @FunctionalInterface
    interface Body<T> {
        void run(T plugin, Output out) throws PluginException;
    }

    static <T> VerbResult run(PluginLookup lookup, Class<T> type, PluginRef ref, OutputFormat format,
            Body<T> body) {
        Output out = new Output();
        try (PluginLease<T> lease = lookup.open(type, ref)) {
            body.run(lease.plugin(), out);
            return VerbResult.success(out.render(format));
        } catch (PluginNotFoundException e) {
            return new VerbResult(VerbResult.UNAVAILABLE, "", e.getMessage(), e);
        } catch (PluginException e) {
            return new VerbResult(VerbResult.FAILED, out.render(format), message(e), e);
        } catch (ServiceException e) {
            // a proxy whose socket does not answer, or a service that could not be obtained
            return new VerbResult(VerbResult.UNAVAILABLE, out.render(format),
                    PluginKind.of(type).title() + " plugin '" + ref + "' is unavailable: " + message(e), e);
        } catch (RuntimeException e) {
            // a defect in the plugin: still one line for the user, the stack trace goes to the debug log
            return new VerbResult(VerbResult.FAILED, out.render(format),
                    PluginKind.of(type).title() + " plugin '" + ref + "' failed: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    private static String message(Exception e) {
        String m = VerbResult.oneLine(e.getMessage());
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
