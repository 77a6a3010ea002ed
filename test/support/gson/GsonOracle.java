// The differential oracle for test/gson.test.ts: reads customRuntimeOptions strings with the
// real Gson into classes that mirror, field for field, what Pulsar's worker parses them into,
// and prints Gson's reading (or its exception), one line per input.
//
// Mirrored classes:
// - RuntimeOpts: BasicKubernetesManifestCustomizer.RuntimeOpts in apache/pulsar
//   (pulsar-functions/runtime/.../kubernetes/BasicKubernetesManifestCustomizer.java), with
//   V1ResourceRequirements and V1Toleration from the Kubernetes Java client.
// - securityContext: the SecurityContext extension's SecurityContextOpts (the seed design),
//   plus the fields pmc's extension adds (preset, seccompProfile, supplementalGroups,
//   fsGroupChangePolicy).
// A Kubernetes Quantity is read as the client's Quantity.QuantityAdapter reads it (null, or
// nextString()); its text is kept, not parsed: pmc checks the grammar itself.
//
// It also runs Pulsar's name conversions (KubernetesRuntime.toValidPodName and
// toValidLabelName, copied as they are) through Java's own regex engine, which works per
// code point.
//
// Input: one case per line, "OPTS|POD|LABEL <base64 of the UTF-8 text>". Output: for OPTS
// "OK <json>" with nulls kept, or "ERR <exception class>: <message>", on one line; for
// POD and LABEL the converted name as JSON.
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

public class GsonOracle {
  @JsonAdapter(QuantityAdapter.class)
  static class Quantity {
    final String text;
    Quantity(String text) { this.text = text; }
  }

  static class QuantityAdapter extends TypeAdapter<Quantity> {
    @Override public void write(JsonWriter out, Quantity q) throws IOException {
      if (q == null) out.nullValue(); else out.value(q.text);
    }
    @Override public Quantity read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) { in.nextNull(); return null; }
      return new Quantity(in.nextString());
    }
  }

  static class V1ResourceRequirements {
    Map<String, Quantity> limits;
    Map<String, Quantity> requests;
  }

  static class V1Toleration {
    String effect;
    String key;
    String operator;
    Long tolerationSeconds;
    String value;
  }

  static class RuntimeOpts {
    String jobNamespace;
    String jobName;
    Map<String, String> extraLabels;
    Map<String, String> extraAnnotations;
    Map<String, String> nodeSelectorLabels;
    V1ResourceRequirements resourceRequirements;
    List<V1Toleration> tolerations;
  }

  static class SeccompProfile {
    String type;
    String localhostProfile;
  }

  static class SecurityContextOpts {
    Long runAsUser;
    Long runAsGroup;
    Long fsGroup;
    Boolean runAsNonRoot;
    Boolean privileged;
    Boolean allowPrivilegeEscalation;
    Boolean readOnlyRootFilesystem;
    String[] addCapabilities;
    String[] dropCapabilities;
    String seLinuxLevel;
    String seLinuxRole;
    String seLinuxType;
    String seLinuxUser;
    // pmc's extension
    String preset;
    SeccompProfile seccompProfile;
    Long[] supplementalGroups;
    String fsGroupChangePolicy;
  }

  static class ExtendedRuntimeOpts extends RuntimeOpts {
    SecurityContextOpts securityContext;
  }

  private static String toValidPodName(String ori) {
    return ori.toLowerCase().replaceAll("[^a-z0-9-\\.]", "-");
  }

  private static String toValidLabelName(String ori) {
    String s = ori.toLowerCase().replaceAll("[^a-zA-Z0-9-_\\.]", "-").replaceAll("^[^a-zA-Z0-9]", "0").replaceAll("[^a-zA-Z0-9]$", "0");
    return s.length() > 63 ? s.substring(0, 63) : s; // StringUtils.left(s, 63)
  }

  public static void main(String[] args) throws IOException {
    Gson out = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder result = new StringBuilder();
    for (String line; (line = in.readLine()) != null; ) {
      String kind = line.substring(0, line.indexOf(' '));
      String json = new String(Base64.getDecoder().decode(line.substring(kind.length() + 1)), StandardCharsets.UTF_8);
      if (kind.equals("POD") || kind.equals("LABEL")) {
        result.append(out.toJson(kind.equals("POD") ? toValidPodName(json) : toValidLabelName(json))).append('\n');
        continue;
      }
      try {
        // As the worker does it: a new Gson per call, fromJson(String, Class).
        ExtendedRuntimeOpts opts = new Gson().fromJson(json, ExtendedRuntimeOpts.class);
        result.append("OK ").append(out.toJson(opts)).append('\n');
      } catch (RuntimeException e) {
        String message = String.valueOf(e.getMessage()).replace('\n', ' ').replace('\r', ' ');
        result.append("ERR ").append(e.getClass().getName()).append(": ").append(message).append('\n');
      }
    }
    PrintStream stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    stdout.print(result);
    stdout.flush();
  }
}
