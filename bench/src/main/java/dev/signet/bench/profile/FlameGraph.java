package dev.signet.bench.profile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes collapsed stacks ({@code thread;root;...;leaf count}) as a self-contained SVG flame graph:
 * root at the bottom, width proportional to samples, colour by {@link Causes cause}, each frame's
 * full name and share in its tooltip. No script, no external resources.
 */
public final class FlameGraph {

  private static final double WIDTH = 1800;
  private static final int ROW = 16;

  /**
   * Frames under 0.3 % of the samples, or seen once, are left out: they carry no reading and bloat
   * the file.
   */
  private static final double MIN_WIDTH = WIDTH * 0.003;

  private static final class Node {
    final String name;
    final Map<String, Node> children = new TreeMap<>();
    long samples;

    Node(String name) {
      this.name = name;
    }
  }

  private FlameGraph() {}

  public static void write(Map<String, Long> collapsed, String title, Path file)
      throws IOException {
    Node root = new Node("all");
    collapsed.forEach(
        (stack, count) -> {
          root.samples += count;
          Node n = root;
          for (String frame : stack.split(";")) {
            n = n.children.computeIfAbsent(frame, Node::new);
            n.samples += count;
          }
        });
    int depth = depth(root);
    double height = (depth + 3) * ROW;
    List<String> rects = new ArrayList<>();
    if (root.samples > 0) {
      draw(root, 0, depth, root.samples, rects, 0);
    }
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\""
                    + " font-family=\"monospace\" font-size=\"11\">\n",
                WIDTH,
                height))
        .append("<style>rect{stroke:#fff;stroke-width:.5}</style>\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"#fafafa\"/>\n")
        .append("<text x=\"4\" y=\"13\" font-size=\"13\">")
        .append(
            escape(title + " (" + root.samples + " samples; hover a frame: name (samples, share))"))
        .append("</text>\n");
    rects.forEach(svg::append);
    svg.append("</svg>\n");
    Files.createDirectories(file.getParent());
    Files.writeString(file, svg);
  }

  private static int depth(Node n) {
    int d = 0;
    for (Node c : n.children.values()) {
      d = Math.max(d, depth(c));
    }
    return d + 1;
  }

  private static void draw(
      Node n, double x, int maxDepth, long total, List<String> out, int level) {
    double w = WIDTH * n.samples / total;
    if (w < MIN_WIDTH || (level > 0 && n.samples < 2)) {
      return;
    }
    double y = (maxDepth - level + 1) * ROW + ROW;
    String label =
        String.format(Locale.ROOT, "%s (%d, %.1f%%)", n.name, n.samples, 100.0 * n.samples / total);
    String colour = level <= 1 ? "hsl(0,0%,85%)" : Causes.colour(n.name);
    out.add(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s"
                + "</title></rect>%s\n",
            x,
            y,
            w,
            ROW - 1,
            colour,
            escape(label),
            text(n.name, x, y, w)));
    double cx = x;
    for (Node c : n.children.values()) {
      draw(c, cx, maxDepth, total, out, level + 1);
      cx += WIDTH * c.samples / total;
    }
  }

  private static String text(String name, double x, double y, double w) {
    int chars = (int) ((w - 4) / 6.6);
    if (chars < 3) {
      return "";
    }
    String shown = shortName(name);
    if (shown.length() > chars) {
      shown = shown.substring(0, Math.max(1, chars - 2)) + "..";
    }
    return String.format(
        Locale.ROOT, "<text x=\"%.1f\" y=\"%.0f\">%s</text>", x + 2, y + ROW - 4, escape(shown));
  }

  /** "org.apache.kafka.clients.consumer.KafkaConsumer.poll" as "KafkaConsumer.poll". */
  static String shortName(String frame) {
    int method = frame.lastIndexOf('.');
    if (method <= 0) {
      return frame;
    }
    int type = frame.lastIndexOf('.', method - 1);
    return type < 0 ? frame : frame.substring(type + 1);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
