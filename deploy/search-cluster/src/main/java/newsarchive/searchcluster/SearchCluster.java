package newsarchive.searchcluster;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One node of the archive's loopback search cluster; run it once per node (two processes), so a
 * test can stop one node and see the replica answer.
 *
 * <p>Arguments: node name, home folder, HTTP port, transport port, then the transport ports of
 * every node of the cluster (the seed hosts and the initial cluster managers).
 */
public final class SearchCluster {
  private static final String CLUSTER_NAME = "newsarchive-search";

  private SearchCluster() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println(
          "usage: SearchCluster NODE_NAME HOME HTTP_PORT TRANSPORT_PORT ALL_TRANSPORT_PORTS...");
      System.exit(2);
    }
    String nodeName = args[0];
    Path home = Path.of(args[1]).toAbsolutePath();
    List<String> transportPorts = List.of(args).subList(4, args.length);
    List<String> seedHosts = transportPorts.stream().map(port -> "127.0.0.1:" + port).toList();
    List<String> managers = java.util.stream.IntStream.rangeClosed(1, transportPorts.size())
        .mapToObj(i -> "node-" + i).toList();

    Settings settings = Settings.builder()
        .put("cluster.name", CLUSTER_NAME)
        .put("node.name", nodeName)
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("path.logs", home.resolve("logs").toString())
        .put("network.host", "127.0.0.1")
        .put("http.port", args[2])
        .put("transport.port", args[3])
        .put("http.type", "netty4")
        .put("transport.type", "netty4")
        .putList("discovery.seed_hosts", seedHosts)
        .putList("cluster.initial_cluster_manager_nodes", managers)
        // a shared development disk is often past the 90% watermark: allocate anyway
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .put("action.auto_create_index", false)
        .build();

    Node node = new MockNode(
        settings,
        List.of(Netty4Plugin.class, CommonAnalysisPlugin.class,
            PainlessPlugin.class));
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (java.io.IOException e) {
        System.err.println(nodeName + ": close failed: " + e);
      }
      closed.countDown();
    }, "close-" + nodeName));
    node.start();
    System.out.println(nodeName + " started: http 127.0.0.1:" + args[2]
        + ", transport 127.0.0.1:" + args[3]);
    closed.await();
  }
}
