package org.crmanalytics.jobs.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools protocol with the JDK's WebSocket
 * client: one page target, commands with replies, and every event kept for the test to inspect
 * (console calls, exceptions, log entries, network requests). Shared by the browser tests of the
 * HTML reports (scorecard, data-quality report).
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration COMMAND = Duration.ofSeconds(60);

  /**
   * Layout faults at the window's width, read by {@link #evaluate}: the ids (else the section's id)
   * of tables wider than their section, the ids of sections whose content is wider than they are
   * (they scroll sideways: a long word that does not wrap), and whether the page is wider than the
   * window, so that it scrolls sideways.
   */
  public static final String OVERFLOW = """
      ({
        overflowing: Array.from(document.querySelectorAll('section table')).filter(t =>
          t.getBoundingClientRect().right > t.closest('section').getBoundingClientRect().right + 1)
          .map(t => t.id || t.closest('section').id),
        scrollingSections: Array.from(document.querySelectorAll('section'))
          .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.id),
        pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth
      })""";

  private final Process process;
  private final Path userDataDir;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();

  /** The width of a laptop's screen, at which the reports must fit. */
  public static final int LAPTOP_WIDTH = 1366;

  /**
   * The browser for a browser test: its class fails under CI=true without one, and is skipped
   * elsewhere, saying how to install it.
   */
  public static Path requiredForTest() {
    Optional<Path> found = executable();
    String missing = "headless Chromium is not installed (apt-get install -y chromium, or set CHROMIUM to its path)";
    if (found.isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.fail(missing + ": CI must run the browser test");
      }
      org.junit.jupiter.api.Assumptions.abort(missing + "; skipping the browser test");
    }
    return found.get();
  }

  /** The browser: $CHROMIUM, else chromium or chromium-browser on the PATH. */
  public static Optional<Path> executable() {
    String configured = System.getenv("CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(Files::isExecutable);
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin");
    for (String dir : (path + ":/usr/bin").split(":")) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private HeadlessChromium(Process process, Path userDataDir, WebSocket socket) {
    this.process = process;
    this.userDataDir = userDataDir;
    this.socket = socket;
  }

  public static HeadlessChromium start(Path executable, int width, int height) throws IOException, InterruptedException {
    Path userDataDir = Files.createTempDirectory("report-chromium-");
    Process process = new ProcessBuilder(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + userDataDir, "--remote-debugging-port=0",
        "--window-size=" + width + "," + height, "about:blank")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    List<String> lines = new ArrayList<>();
    CompletableFuture<String> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            endpoint.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        endpoint.completeExceptionally(e);
      }
      endpoint.completeExceptionally(new IOException("chromium ended before it listened: " + lines));
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      URI browser = URI.create(endpoint.get(START.toSeconds(), TimeUnit.SECONDS));
      HttpClient http = HttpClient.newHttpClient();
      URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      String pageSocket = null;
      for (JsonNode t : targets) {
        if ("page".equals(t.path("type").asText())) {
          pageSocket = t.path("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (pageSocket == null) {
        throw new IOException("chromium has no page target: " + targets);
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      Listener listener = new Listener(self);
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), listener)
          .get(START.toSeconds(), TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(process, userDataDir, socket);
      return self[0];
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new IOException("chromium did not start: " + e.getMessage() + "; stderr: " + lines, e);
    }
  }

  /** Reassembles fragmented frames; replies complete their command, the rest are events. */
  private static final class Listener implements WebSocket.Listener {
    private final HeadlessChromium[] owner;
    private final StringBuilder partial = new StringBuilder();

    Listener(HeadlessChromium[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        try {
          owner[0].received(JSON.readTree(message));
        } catch (IOException e) {
          throw new IllegalStateException("not JSON from chromium: " + message, e);
        }
      }
      ws.request(1);
      return null;
    }
  }

  private void received(JsonNode message) {
    if (message.has("id")) {
      CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
      if (f != null) {
        f.complete(message);
      }
    } else {
      synchronized (events) {
        events.add(message);
      }
    }
  }

  /** Sends a command and waits for its result; a protocol error fails. */
  public JsonNode send(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode command = JSON.createObjectNode();
    command.put("id", id);
    command.put("method", method);
    command.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(JSON.writeValueAsString(command), true).get(COMMAND.toSeconds(), TimeUnit.SECONDS);
    JsonNode r = reply.get(COMMAND.toSeconds(), TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + " failed: " + r.get("error"));
    }
    return r.get("result");
  }

  /** Evaluates an expression in the page and returns its value (JSON-serialisable values only). */
  public JsonNode evaluate(String expression) throws Exception {
    JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("page threw for " + expression + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Polls {@code expression} until it is true. */
  public void waitFor(String expression, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (evaluate(expression).asBoolean(false)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not true within " + timeout + ": " + expression);
  }

  /** Waits until an event matches. */
  public JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      synchronized (events) {
        for (JsonNode e : events) {
          if (match.test(e)) {
            return e;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no matching event within " + timeout + "; events: " + methods());
  }

  public List<JsonNode> events(String method) {
    synchronized (events) {
      return events.stream().filter(e -> method.equals(e.path("method").asText())).toList();
    }
  }

  private List<String> methods() {
    synchronized (events) {
      return events.stream().map(e -> e.path("method").asText()).distinct().toList();
    }
  }

  @Override
  public void close() throws IOException {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    } catch (RuntimeException e) {
      // the browser is ended below either way
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteProfile();
  }

  /**
   * Chromium's helper processes can still be writing to the profile when the main process has
   * exited, so a file may vanish during the walk: the walk is retried, and a temporary folder that
   * cannot be removed is left to the system rather than failing the test.
   */
  private void deleteProfile() {
    for (int attempt = 0; attempt < 5; attempt++) {
      try (Stream<Path> files = Files.walk(userDataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        if (!Files.exists(userDataDir)) {
          return;
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // a file vanished or appeared during the walk: try again
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
