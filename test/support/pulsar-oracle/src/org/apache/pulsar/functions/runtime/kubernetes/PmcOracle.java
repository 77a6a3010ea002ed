package org.apache.pulsar.functions.runtime.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.lang3.StringUtils;
import org.apache.pulsar.common.functions.FunctionConfig;
import org.apache.pulsar.common.io.SinkConfig;
import org.apache.pulsar.common.io.SourceConfig;
import org.apache.pulsar.functions.auth.FunctionAuthProvider;
import org.apache.pulsar.functions.instance.AuthenticationConfig;
import org.apache.pulsar.functions.instance.InstanceConfig;
import org.apache.pulsar.functions.proto.Function;
import org.apache.pulsar.functions.runtime.RuntimeCustomizer;
import org.apache.pulsar.functions.secretsproviderconfigurator.DefaultSecretsProviderConfigurator;
import org.apache.pulsar.functions.secretsproviderconfigurator.SecretsProviderConfigurator;
import org.apache.pulsar.functions.utils.FunctionConfigUtils;
import org.apache.pulsar.functions.utils.SinkConfigUtils;
import org.apache.pulsar.functions.utils.SourceConfigUtils;
import org.apache.pulsar.functions.worker.WorkerConfig;

/**
 * pmc's differential oracle: Apache Pulsar's own functions-runtime classes, driven the way the
 * functions worker drives them, one case per line of JSON on stdin, one answer per line on
 * stdout. It lives in KubernetesRuntime's package because createStatefulSet() and
 * createService() are package-private (@VisibleForTesting), as Pulsar's KubernetesRuntimeTest
 * reaches them too.
 *
 * Ops:
 * - customize: the worker file's runtimeCustomizerClassName and runtimeCustomizerConfig
 *   (FunctionRuntimeManager: getRuntimeCustomizer, then initialize with the config or an empty
 *   map), a fresh customizer per case; the job's namespace and name as KubernetesRuntimeFactory
 *   and KubernetesRuntime compute them (customizeNamespace, customizeName, createJobName,
 *   doChecks); then customizeService and customizeStatefulSet on the given objects.
 * - customizeSequence: several functions through ONE customizer instance, as one worker lives
 *   through many functions (shows Pulsar's shared resourceRequirements).
 * - render: WorkerConfig.load, the runtime factory initialized as FunctionRuntimeManager does,
 *   the pulsar-admin config read by Jackson and converted as the REST layer does
 *   (inferMissingArguments, the checks that need no package, FunctionConfigUtils /
 *   SourceConfigUtils / SinkConfigUtils.convert), the InstanceConfig as FunctionActioner builds
 *   it (ids fixed by the case, instance id -1: a Kubernetes worker manages one external
 *   instance), then createService() and createStatefulSet() and, with authentication on, the
 *   auth provider's configureAuthDataStatefulSet, as submitStatefulSet does.
 */
public final class PmcOracle {
    private static final JSON K8S_JSON = new ApiClient().getJSON();
    // pulsar-admin's reading of a config file (CmdUtils.loadConfig): an unknown field refuses it.
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        // Pulsar logs through slf4j; keep stdout for answers only.
        System.setOut(new PrintStream(new java.io.OutputStream() {
            public void write(int b) { }
        }));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) continue;
            JsonObject req = JsonParser.parseString(line).getAsJsonObject();
            JsonObject res = new JsonObject();
            res.add("id", req.get("id"));
            try {
                String op = req.get("op").getAsString();
                if (op.equals("customize")) customize(req, res);
                else if (op.equals("customizeSequence")) customizeSequence(req, res);
                else if (op.equals("render")) render(req, res);
                else throw new IllegalArgumentException("unknown op " + op);
                res.addProperty("ok", true);
            } catch (Throwable t) {
                Throwable root = t;
                while ((root instanceof java.lang.reflect.InvocationTargetException || root.getCause() != null && root instanceof RuntimeException && root.getMessage() != null && root.getMessage().startsWith("java.lang.")) && root.getCause() != null) root = root.getCause();
                res = new JsonObject();
                res.add("id", req.get("id"));
                res.addProperty("ok", false);
                res.addProperty("error", root.getClass().getName() + ": " + root.getMessage());
            }
            out.println(res.toString());
            out.flush();
        }
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static WorkerConfig loadWorker(String text) throws Exception {
        if (text == null) return new WorkerConfig();
        File f = File.createTempFile("pmc-oracle-worker", ".yml");
        try {
            Files.write(f.toPath(), text.getBytes(StandardCharsets.UTF_8));
            return WorkerConfig.load(f.getPath());
        } finally {
            f.delete();
        }
    }

    /** As FunctionRuntimeManager's constructor builds it; empty when the worker names no class. */
    private static Optional<RuntimeCustomizer> customizerOf(WorkerConfig wc) {
        String cls = wc.getRuntimeCustomizerClassName();
        if (StringUtils.isEmpty(cls)) return Optional.empty();
        // The seed's extension is deployed under each user's own package: any class of that
        // simple name that is not on the classpath stands for the one compiled here.
        if (cls.endsWith(".SecurityContextKubernetesManifestCustomizer")) {
            try {
                Class.forName(cls);
            } catch (ClassNotFoundException e) {
                cls = "com.yourcompany.pulsar.runtime.SecurityContextKubernetesManifestCustomizer";
            }
        }
        RuntimeCustomizer c = RuntimeCustomizer.getRuntimeCustomizer(cls);
        c.initialize(Optional.ofNullable(wc.getRuntimeCustomizerConfig()).orElse(Collections.emptyMap()));
        return Optional.of(c);
    }

    private static Function.FunctionDetails detailsOf(JsonObject d) throws Exception {
        Function.FunctionDetails.Builder b = Function.FunctionDetails.newBuilder();
        String json = str(d, "json");
        if (json != null) JsonFormat.parser().ignoringUnknownFields().merge(json, b);
        if (str(d, "tenant") != null) b.setTenant(str(d, "tenant"));
        if (str(d, "namespace") != null) b.setNamespace(str(d, "namespace"));
        if (str(d, "name") != null) b.setName(str(d, "name"));
        if (d.has("customRuntimeOptions")) b.setCustomRuntimeOptions(d.get("customRuntimeOptions").isJsonNull() ? "" : str(d, "customRuntimeOptions"));
        return b.build();
    }

    private static JsonElement tree(Object o) {
        return JsonParser.parseString(K8S_JSON.serialize(o));
    }

    private static void customizeOne(KubernetesManifestCustomizer c, Function.FunctionDetails d, JsonObject req, JsonObject res) {
        V1StatefulSet sts = K8S_JSON.deserialize(req.get("statefulSet").toString(), V1StatefulSet.class);
        V1Service svc = req.has("service") && !req.get("service").isJsonNull()
                ? K8S_JSON.deserialize(req.get("service").toString(), V1Service.class) : null;
        String ns = c.customizeNamespace(d, sts.getMetadata().getNamespace());
        String overridden = c.customizeName(d, null);
        KubernetesRuntime.doChecks(d, overridden);
        sts.getMetadata().setNamespace(ns);
        if (svc != null) svc.getMetadata().setNamespace(ns);
        if (overridden != null) {
            String jobName = KubernetesRuntime.createJobName(d, overridden);
            sts.getMetadata().setName(jobName);
            sts.getSpec().setServiceName(jobName);
            if (svc != null) svc.getMetadata().setName(jobName);
        }
        if (svc != null) {
            String name = svc.getMetadata().getName();
            svc = c.customizeService(d, svc);
            svc.getMetadata().name(name);
            res.add("service", tree(svc));
        }
        String name = sts.getMetadata().getName();
        sts = c.customizeStatefulSet(d, sts);
        sts.getMetadata().name(name);
        res.add("statefulSet", tree(sts));
    }

    private static KubernetesManifestCustomizer manifestCustomizer(WorkerConfig wc) {
        Optional<RuntimeCustomizer> rc = customizerOf(wc);
        if (!rc.isPresent()) return null;
        if (!(rc.get() instanceof KubernetesManifestCustomizer)) {
            throw new IllegalArgumentException("Function runtime customizer " + rc.get().getClass().getName() + " must implement KubernetesManifestCustomizer");
        }
        return (KubernetesManifestCustomizer) rc.get();
    }

    private static void customize(JsonObject req, JsonObject res) throws Exception {
        WorkerConfig wc = loadWorker(str(req, "worker"));
        KubernetesManifestCustomizer c = manifestCustomizer(wc);
        if (c == null) {
            res.addProperty("customizer", false);
            return;
        }
        customizeOne(c, detailsOf(req.getAsJsonObject("details")), req, res);
    }

    private static void customizeSequence(JsonObject req, JsonObject res) throws Exception {
        WorkerConfig wc = loadWorker(str(req, "worker"));
        KubernetesManifestCustomizer c = manifestCustomizer(wc);
        com.google.gson.JsonArray outs = new com.google.gson.JsonArray();
        for (JsonElement e : req.getAsJsonArray("functions")) {
            JsonObject one = e.getAsJsonObject();
            JsonObject r = new JsonObject();
            customizeOne(c, detailsOf(one.getAsJsonObject("details")), one, r);
            outs.add(r);
        }
        res.add("results", outs);
    }

    private static void setField(Object target, String name, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** A static method of Pulsar's, public or not (3.0 keeps some checks private). */
    private static Method method(Class<?> cls, String name, Class<?>... types) {
        try {
            Method m = cls.getDeclaredMethod(name, types);
            m.setAccessible(true);
            return m;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Lombok's all-arguments constructor of an Extracted*Details class: the class name first, the rest null unless given. */
    private static Object extracted(Class<?> cls, String className, String functionClassName) throws Exception {
        Constructor<?> best = null;
        for (Constructor<?> k : cls.getDeclaredConstructors()) if (best == null || k.getParameterCount() > best.getParameterCount()) best = k;
        Object[] a = new Object[best.getParameterCount()];
        a[0] = className;
        if (a.length >= 3) a[2] = functionClassName;
        best.setAccessible(true);
        return best.newInstance(a);
    }

    private static Function.FunctionDetails detailsFromConfig(JsonObject req, WorkerConfig wc) throws Exception {
        String kind = str(req, "kind");
        String text = str(req, "config");
        if (kind.equals("function")) {
            FunctionConfig fc = YAML.readValue(text, FunctionConfig.class);
            // The REST layer's first check (FunctionsImpl.registerFunction): no file uploaded and no package URL.
            if (fc.getJar() == null && fc.getPy() == null && fc.getGo() == null) {
                throw new IllegalArgumentException("Function package is not provided");
            }
            if (str(req, "tenant") != null) fc.setTenant(str(req, "tenant"));
            if (str(req, "namespace") != null) fc.setNamespace(str(req, "namespace"));
            if (str(req, "name") != null) fc.setName(str(req, "name"));
            if (str(req, "customRuntimeOptions") != null) fc.setCustomRuntimeOptions(str(req, "customRuntimeOptions"));
            FunctionConfigUtils.inferMissingArguments(fc, wc.isForwardSourceMessageProperty());
            Method common = method(FunctionConfigUtils.class, "doCommonChecks", FunctionConfig.class);
            common.invoke(null, fc);
            if (fc.getRuntime() == FunctionConfig.Runtime.PYTHON) method(FunctionConfigUtils.class, "doPythonChecks", FunctionConfig.class).invoke(null, fc);
            if (fc.getRuntime() == FunctionConfig.Runtime.GO) method(FunctionConfigUtils.class, "doGolangChecks", FunctionConfig.class).invoke(null, fc);
            Object ex = extracted(FunctionConfigUtils.ExtractedFunctionDetails.class, fc.getClassName(), null);
            return FunctionConfigUtils.convert(fc, (FunctionConfigUtils.ExtractedFunctionDetails) ex);
        }
        if (kind.equals("source")) {
            SourceConfig sc = YAML.readValue(text, SourceConfig.class);
            if (str(req, "tenant") != null) sc.setTenant(str(req, "tenant"));
            if (str(req, "namespace") != null) sc.setNamespace(str(req, "namespace"));
            if (str(req, "name") != null) sc.setName(str(req, "name"));
            if (str(req, "customRuntimeOptions") != null) sc.setCustomRuntimeOptions(str(req, "customRuntimeOptions"));
            Object ex = extracted(SourceConfigUtils.ExtractedSourceDetails.class, sc.getClassName(), null);
            return SourceConfigUtils.convert(sc, (SourceConfigUtils.ExtractedSourceDetails) ex);
        }
        SinkConfig sk = YAML.readValue(text, SinkConfig.class);
        if (str(req, "tenant") != null) sk.setTenant(str(req, "tenant"));
        if (str(req, "namespace") != null) sk.setNamespace(str(req, "namespace"));
        if (str(req, "name") != null) sk.setName(str(req, "name"));
        if (str(req, "customRuntimeOptions") != null) sk.setCustomRuntimeOptions(str(req, "customRuntimeOptions"));
        String transformClass = null;
        try {
            transformClass = (String) SinkConfig.class.getMethod("getTransformFunctionClassName").invoke(sk);
        } catch (NoSuchMethodException e) {
            // 3.0 has no transform functions
        }
        Object ex = extracted(SinkConfigUtils.ExtractedSinkDetails.class, sk.getClassName(), transformClass);
        return SinkConfigUtils.convert(sk, (SinkConfigUtils.ExtractedSinkDetails) ex);
    }

    private static void render(JsonObject req, JsonObject res) throws Exception {
        WorkerConfig wc = loadWorker(str(req, "worker"));

        SecretsProviderConfigurator spc = StringUtils.isEmpty(wc.getSecretsProviderConfiguratorClassName())
                ? new DefaultSecretsProviderConfigurator()
                : (SecretsProviderConfigurator) Class.forName(wc.getSecretsProviderConfiguratorClassName()).getDeclaredConstructor().newInstance();
        spc.init(wc.getSecretsProviderConfiguratorConfig());
        Optional<FunctionAuthProvider> authProvider = Optional.empty();
        AuthenticationConfig authConfig = null;
        if (wc.isAuthenticationEnabled()) {
            authConfig = AuthenticationConfig.builder()
                    .clientAuthenticationPlugin(wc.getBrokerClientAuthenticationPlugin())
                    .clientAuthenticationParameters(wc.getBrokerClientAuthenticationParameters())
                    .tlsTrustCertsFilePath(wc.getTlsTrustCertsFilePath())
                    .useTls(wc.isUseTls())
                    .tlsAllowInsecureConnection(wc.isTlsAllowInsecureConnection())
                    .tlsHostnameVerificationEnable(wc.isTlsEnableHostnameVerification())
                    .build();
            if (!StringUtils.isEmpty(wc.getFunctionAuthProviderClassName())) {
                authProvider = Optional.of(FunctionAuthProvider.getAuthProvider(wc.getFunctionAuthProviderClassName()));
            }
        }
        Optional<RuntimeCustomizer> customizer = customizerOf(wc);
        if (!"org.apache.pulsar.functions.runtime.kubernetes.KubernetesRuntimeFactory".equals(wc.getFunctionRuntimeFactoryClassName())
                && !(StringUtils.isEmpty(wc.getFunctionRuntimeFactoryClassName()) && wc.getKubernetesContainerFactory() != null)) {
            throw new IllegalArgumentException("not the Kubernetes runtime: " + wc.getFunctionRuntimeFactoryClassName());
        }
        if (StringUtils.isEmpty(wc.getFunctionRuntimeFactoryClassName())) {
            wc.setFunctionRuntimeFactoryConfigs(org.apache.pulsar.common.util.ObjectMapperFactory.getMapper().getObjectMapper()
                    .convertValue(wc.getKubernetesContainerFactory(), Map.class));
        }
        KubernetesRuntimeFactory factory = new KubernetesRuntimeFactory();
        // Given clients: setupClient() then builds none, reads no kubeconfig and starts no timer.
        ApiClient api = new ApiClient();
        setField(factory, "appsClient", new AppsV1Api(api));
        setField(factory, "coreClient", new CoreV1Api(api));
        factory.initialize(wc, authConfig, spc, null, null, authProvider, customizer);

        Function.FunctionDetails details = detailsFromConfig(req, wc);
        factory.doAdmissionChecks(details);

        InstanceConfig ic = new InstanceConfig();
        ic.setFunctionDetails(details);
        ic.setFunctionId(str(req, "functionId"));
        ic.setFunctionVersion(str(req, "functionVersion"));
        try {
            InstanceConfig.class.getMethod("setTransformFunctionId", String.class).invoke(ic, str(req, "transformFunctionId"));
        } catch (NoSuchMethodException e) {
            // 3.0 has no transform functions
        }
        ic.setInstanceId(-1);
        ic.setMaxBufferedTuples(1024);
        ic.setPort(9093);
        ic.setMetricsPort(9094);
        ic.setClusterName(wc.getPulsarFunctionsCluster());
        ic.setMaxPendingAsyncRequests(wc.getMaxPendingAsyncRequests());
        ic.setExposePulsarAdminClientEnabled(wc.isExposeAdminClientEnabled());
        if (wc.getAdditionalJavaRuntimeArguments() != null) ic.setAdditionalJavaRuntimeArguments(wc.getAdditionalJavaRuntimeArguments());
        Method ignore = method(InstanceConfig.class, "setIgnoreUnknownConfigFields", boolean.class);
        Method workerIgnore = method(WorkerConfig.class, "isIgnoreUnknownConfigFields");
        if (ignore != null && workerIgnore != null) ignore.invoke(ic, workerIgnore.invoke(wc));
        if (wc.isAuthenticationEnabled() && str(req, "authSecretId") != null) {
            ic.setFunctionAuthenticationSpec(Function.FunctionAuthenticationSpec.newBuilder()
                    .setData(com.google.protobuf.ByteString.copyFromUtf8(str(req, "authSecretId"))).build());
        }

        KubernetesRuntime runtime = factory.createContainer(ic, str(req, "packageUrl"), str(req, "originalFileName"),
                str(req, "transformPackageUrl"), str(req, "transformOriginalFileName"), 30L);
        V1Service svc = runtime.createService();
        V1StatefulSet sts = runtime.createStatefulSet();
        if (wc.isAuthenticationEnabled()) {
            Field f = KubernetesRuntime.class.getDeclaredField("functionAuthDataCacheProvider");
            f.setAccessible(true);
            @SuppressWarnings("unchecked")
            Optional<org.apache.pulsar.functions.auth.KubernetesFunctionAuthProvider> p = (Optional<org.apache.pulsar.functions.auth.KubernetesFunctionAuthProvider>) f.get(runtime);
            final V1StatefulSet target = sts;
            p.ifPresent(provider -> provider.configureAuthDataStatefulSet(target,
                    Optional.ofNullable(org.apache.pulsar.functions.auth.FunctionAuthUtils.getFunctionAuthData(
                            Optional.ofNullable(ic.getFunctionAuthenticationSpec())))));
        }
        // The typed create calls post to /api/v1 and /apis/apps/v1, which is where the API
        // server takes apiVersion and kind from; the objects themselves carry neither.
        svc.apiVersion("v1").kind("Service");
        sts.apiVersion("apps/v1").kind("StatefulSet");
        res.add("service", tree(svc));
        res.add("statefulSet", tree(sts));
    }

    private PmcOracle() { }
}
