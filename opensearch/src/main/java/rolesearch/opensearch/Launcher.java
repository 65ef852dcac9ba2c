package rolesearch.opensearch;

import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.ExtensiblePlugin;
import org.opensearch.plugins.Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts one real OpenSearch node in this JVM, for tests: the server from Maven Central's
 * {@code org.opensearch:opensearch} jar, and the distribution modules rolesearch relies on,
 * loaded as classpath plugins (as OpenSearch's own integration tests load them).
 *
 * <p>Arguments are node settings, {@code key=value} (or {@code -Ekey=value}). {@code path.home}
 * is required. Every other setting has a loopback-only default, see {@link #DEFAULTS}.
 *
 * <p>This is not {@code org.opensearch.bootstrap.OpenSearch}: no security manager, no bootstrap
 * checks, no keystore, no native calls (mlockall, seccomp). SIGTERM closes the node through a
 * shutdown hook.
 */
public final class Launcher {

    /**
     * The modules, by plugin class: 2.x names first, then the 3.x names (renamed *ModulePlugin).
     * Each must be on the classpath; a missing one stops the launch.
     */
    private static final String[][] MODULES = {
        { "transport-netty4", "org.opensearch.transport.Netty4Plugin", "org.opensearch.transport.Netty4ModulePlugin" },
        { "analysis-common", "org.opensearch.analysis.common.CommonAnalysisPlugin",
            "org.opensearch.analysis.common.CommonAnalysisModulePlugin" },
        { "lang-painless", "org.opensearch.painless.PainlessPlugin", "org.opensearch.painless.PainlessModulePlugin" },
        { "reindex", "org.opensearch.index.reindex.ReindexPlugin", "org.opensearch.index.reindex.ReindexModulePlugin" },
        { "mapper-extras", "org.opensearch.index.mapper.MapperExtrasPlugin",
            "org.opensearch.index.mapper.MapperExtrasModulePlugin" }, };

    private static final String[][] DEFAULTS = {
        { "cluster.name", "rolesearch" },
        { "node.name", "node-1" },
        { "network.host", "127.0.0.1" },
        { "http.port", "9200" },
        { "transport.port", "9300" },
        // a test machine's disk may be past the 85/90/95 % watermarks: never refuse shards for that
        { "cluster.routing.allocation.disk.threshold_enabled", "false" },
        // the parent breaker measures the real heap by default; with a small heap and a
        // non-G1 collector, garbage not yet collected trips it. Count reserved bytes instead.
        { "indices.breaker.total.use_real_memory", "false" }, };

    /** A Node that takes classpath plugins (the constructor is protected in Node). */
    static final class TestNode extends Node {
        TestNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Settings.Builder builder = Settings.builder();
        for (String[] kv : DEFAULTS) {
            builder.put(kv[0], kv[1]);
        }
        for (String arg : args) {
            String a = arg.startsWith("-E") ? arg.substring(2) : arg;
            int eq = a.indexOf('=');
            if (eq <= 0) {
                fail(2, "argument is not key=value: " + arg);
            }
            builder.put(a.substring(0, eq), a.substring(eq + 1));
        }
        if (builder.get("path.home") == null) {
            fail(2, "path.home=DIR is required");
        }
        Path home = Paths.get(builder.get("path.home")).toAbsolutePath();
        builder.put("path.home", home.toString());
        if (builder.get("path.data") == null) {
            builder.put("path.data", home.resolve("data").toString());
        }
        if (builder.get("path.logs") == null) {
            builder.put("path.logs", home.resolve("logs").toString());
        }
        // one node alone unless the arguments describe a cluster
        if (builder.get("discovery.type") == null && builder.get("discovery.seed_hosts") == null) {
            builder.put("discovery.type", "single-node");
        }
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(Paths.get(builder.get("path.data")));
        Files.createDirectories(Paths.get(builder.get("path.logs")));

        List<Class<? extends Plugin>> plugins = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String[] module : MODULES) {
            Class<? extends Plugin> found = null;
            for (int i = 1; i < module.length && found == null; i++) {
                found = pluginClass(module[i]);
            }
            if (found == null) {
                fail(1, "module " + module[0] + " is not on the classpath (run ./fetch)");
            }
            plugins.add(found);
            names.add(module[0]);
        }

        feedPainlessExtensions(plugins);

        Settings settings = builder.build();
        String nodeName = settings.get("node.name");
        Node node;
        try {
            Environment environment = InternalSettingsPreparer.prepareEnvironment(
                settings, Collections.emptyMap(), home.resolve("config"), () -> nodeName);
            node = new TestNode(environment, plugins);
        } catch (Throwable t) {
            t.printStackTrace();
            fail(1, "start failed: " + t);
            return;
        }

        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                if (!node.awaitClose(20, TimeUnit.SECONDS)) {
                    System.err.println("launcher: node did not close within 20 s");
                }
                System.out.println("launcher: node " + nodeName + " closed");
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "launcher-shutdown"));

        try {
            node.start();
        } catch (Throwable t) {
            t.printStackTrace();
            System.err.println("launcher: start failed: " + t);
            System.err.flush();
            Runtime.getRuntime().halt(1); // not exit: the shutdown hook would wait on a half-started node
        }
        System.out.printf("launcher: node %s started in %.1f s: http %s:%s transport %s, modules %s%n",
            nodeName, (System.nanoTime() - t0) / 1e9, settings.get("network.host"), settings.get("http.port"),
            settings.get("transport.port"), names);
        closed.await();
    }

    /**
     * The distribution loads each module in its own class loader and then calls
     * {@link ExtensiblePlugin#loadExtensions} on the plugins that others extend; classpath plugins
     * skip that step, so painless would lack the allowlists other modules contribute (for example
     * analysis-common's, that {@code predicate_token_filter} and {@code condition} scripts need).
     * Painless keeps them in a static map, so one call on a throwaway instance, with the
     * extensions found by {@link ServiceLoader} on our classpath, is enough.
     */
    private static void feedPainlessExtensions(List<Class<? extends Plugin>> plugins) throws Exception {
        for (Class<? extends Plugin> c : plugins) {
            if (c.getName().startsWith("org.opensearch.painless.") && ExtensiblePlugin.class.isAssignableFrom(c)) {
                ExtensiblePlugin painless = (ExtensiblePlugin) c.getConstructor().newInstance();
                painless.loadExtensions(new ExtensiblePlugin.ExtensionLoader() {
                    @Override
                    public <T> List<T> loadExtensions(Class<T> type) {
                        List<T> found = new ArrayList<>();
                        ServiceLoader.load(type, Launcher.class.getClassLoader()).forEach(found::add);
                        return found;
                    }
                });
            }
        }
    }

    private static Class<? extends Plugin> pluginClass(String name) {
        try {
            return Class.forName(name, false, Launcher.class.getClassLoader()).asSubclass(Plugin.class);
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return null;
        }
    }

    private static void fail(int status, String message) {
        System.err.println("launcher: " + message);
        System.exit(status);
    }
}
